import { SWRConfig } from 'swr';
import { mockApis, renderInTestApp } from '@backstage/frontend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { McpPage } from './McpPage';

const MCP_URL = 'http://portal.test/api/mcp';

const TOOLS = [
  {
    name: 'catalog_search',
    title: 'Search the software catalog',
    description: 'Find catalog entities.\n\nHow to page through results.',
    annotations: { readOnlyHint: true },
  },
  {
    name: 'catalog_refresh_entity',
    title: 'Refresh a catalog entity',
    description: 'Re-read a catalog-info.yaml now.',
    annotations: { readOnlyHint: false, destructiveHint: false },
  },
  {
    name: 'scaffolder_cancel_task',
    description: 'Stop a task.',
    annotations: { readOnlyHint: false },
  },
];

const BUDGETS = {
  portal: {
    calls: { limit: 3000, windowMs: 60_000 },
    writes: { limit: 60, windowMs: 60_000 },
  },
  agents: [
    {
      subject: 'scoped-agent',
      budgets: {
        calls: { limit: 300, windowMs: 60_000 },
        writes: { limit: 60, windowMs: 60_000 },
      },
    },
  ],
};

/** The plugin's backend, as the page sees it through the fetch API. */
function fakeBackend() {
  let blocks: any[] = [];
  const requests: Array<{ method: string; url: string; body?: any }> = [];
  const fetch = jest.fn(async (input: any, init?: RequestInit) => {
    const url = String(input);
    const method = init?.method ?? 'GET';
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({ method, url, body });
    const json = (value: unknown, status = 200) =>
      new Response(JSON.stringify(value), {
        status,
        headers: { 'Content-Type': 'application/json' },
      });
    if (url === MCP_URL && method === 'POST') {
      return json({ jsonrpc: '2.0', id: body.id, result: { tools: TOOLS } });
    }
    if (url === `${MCP_URL}/admin/blocks`) return json({ items: blocks });
    if (url === `${MCP_URL}/admin/budgets`) return json(BUDGETS);
    const principal = decodeURIComponent(url.split('/admin/blocks/')[1] ?? '');
    if (method === 'PUT') {
      if (principal === 'user:default/me') {
        return json(
          {
            error: { name: 'InputError', message: 'You cannot block yourself' },
            request: { method, url },
            response: { statusCode: 400 },
          },
          400,
        );
      }
      const entry = {
        principal,
        reason: body.reason,
        blockedBy: 'user:default/me',
        blockedAt: '2026-11-30T12:00:00.000Z',
        expiresAt: null,
      };
      blocks = [...blocks, entry];
      return json(entry);
    }
    if (method === 'DELETE') {
      blocks = blocks.filter(b => b.principal !== principal);
      return new Response(null, { status: 204 });
    }
    return json({ error: { message: 'not found' } }, 404);
  });
  return { fetch, requests };
}

async function renderPage(admin: boolean) {
  const backend = fakeBackend();
  // A fresh SWR cache per render: usePermission's answer is cached and
  // deduplicated for 2 s across renders otherwise, so an administrator's
  // page rendered right after a non-administrator's got the earlier "deny".
  renderInTestApp(
    <SWRConfig value={{ provider: () => new Map() }}>
      <McpPage />
    </SWRConfig>,
    {
      apis: [
        mockApis.discovery({ baseUrl: 'http://portal.test' }),
        mockApis.fetch.mock({ fetch: backend.fetch as any }),
        mockApis.permission({
          authorize: admin ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
        }),
      ],
    },
  );
  await screen.findByText('Connect your agent');
  return backend;
}

describe('McpPage', () => {
  it("builds the snippets from the portal's MCP URL, OAuth by default, a token on request", async () => {
    await renderPage(false);
    expect(screen.getByTestId('mcp-url')).toHaveTextContent(MCP_URL);
    expect(screen.getByTestId('mcp-snippet-claude-code')).toHaveTextContent(
      `claude mcp add --transport http backstage ${MCP_URL}`,
    );
    expect(
      screen.getByTestId('mcp-snippet-claude-code').textContent,
    ).not.toContain('Authorization');

    await userEvent.click(screen.getByRole('radio', { name: /Static token/ }));
    expect(screen.getByTestId('mcp-snippet-cursor')).toHaveTextContent(
      'Bearer ${env:BACKSTAGE_MCP_TOKEN}',
    );
  });

  it('copies a configuration with a labelled button and says so', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.assign(navigator, { clipboard: { writeText } });
    await renderPage(false);
    await userEvent.click(
      screen.getByRole('button', { name: 'Copy the Gemini CLI configuration' }),
    );
    expect(JSON.parse(writeText.mock.calls[0][0])).toEqual({
      mcpServers: { backstage: { httpUrl: MCP_URL } },
    });
    expect(await screen.findByText('Copied')).toBeInTheDocument();
  });

  it("lists the endpoint's tools with their effect, and no administration without mcp.admin", async () => {
    const { requests } = await renderPage(false);
    const rows = await screen.findAllByTestId('mcp-tool');
    expect(
      rows.map(row => within(row).getByTestId('mcp-tool-name').textContent),
    ).toEqual([
      'catalog_search',
      'catalog_refresh_entity',
      'scaffolder_cancel_task',
    ]);
    expect(rows[0]).toHaveTextContent('read-only');
    expect(rows[0]).toHaveTextContent('Find catalog entities.');
    expect(rows[0]).not.toHaveTextContent('How to page');
    expect(rows[1]).toHaveTextContent('writes');
    expect(rows[2]).toHaveTextContent('destructive');
    expect(screen.queryByText('Administration')).not.toBeInTheDocument();
    expect(requests.some(r => r.url.includes('/admin/'))).toBe(false);
  });

  it('lets an administrator block and unblock, and shows the budgets in force', async () => {
    const { requests } = await renderPage(true);
    expect(await screen.findByText('Nobody is blocked.')).toBeInTheDocument();
    const budgets = await screen.findAllByTestId('mcp-budget');
    expect(budgets.map(row => row.textContent)).toEqual([
      'Every user and agent (mcp.rateLimits)3000 per minute60 per minute',
      'Agent scoped-agent300 per minute60 per minute',
    ]);

    await userEvent.type(
      screen.getByRole('textbox', { name: /User or agent/ }),
      'release-bot',
    );
    await userEvent.type(
      screen.getByRole('textbox', { name: /Reason/ }),
      'runaway loop',
    );
    await userEvent.type(
      screen.getByRole('spinbutton', { name: /Hours/ }),
      '2',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    const row = await screen.findByTestId('mcp-block');
    expect(row).toHaveTextContent('release-bot');
    expect(row).toHaveTextContent('runaway loop');
    expect(requests).toContainEqual({
      method: 'PUT',
      url: `${MCP_URL}/admin/blocks/release-bot`,
      body: { reason: 'runaway loop', expiresInSeconds: 7200 },
    });

    await userEvent.click(
      screen.getByRole('button', { name: 'Unblock release-bot' }),
    );
    expect(await screen.findByText('Nobody is blocked.')).toBeInTheDocument();
    expect(requests).toContainEqual(
      expect.objectContaining({
        method: 'DELETE',
        url: `${MCP_URL}/admin/blocks/release-bot`,
      }),
    );
  });

  it("shows the admin API's reason when it refuses a block", async () => {
    await renderPage(true);
    await screen.findByText('Nobody is blocked.');
    fireEvent.change(screen.getByRole('textbox', { name: /User or agent/ }), {
      target: { value: 'user:default/me' },
    });
    fireEvent.change(screen.getByRole('textbox', { name: /Reason/ }), {
      target: { value: 'oops' },
    });
    await userEvent.click(screen.getByRole('button', { name: 'Block' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'You cannot block yourself',
    );
    expect(screen.getByText('Nobody is blocked.')).toBeInTheDocument();
  });
});
