import { connectMcpClient } from '@backstage-mcp/test-utils';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Browser, Page } from 'playwright-core';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import {
  ensureAppBuilt,
  launchChromium,
  screenshot,
  signInAsGuest,
  tabTo,
  unlabelledControls,
} from './portalBrowser';

/** The MCP page's own content. */
const MCP_PAGE = '[data-testid="mcp-page"]';

/**
 * A member of the SRE team, whom the demo policy makes an MCP administrator
 * (demoPermissionPolicy.ts: mcp.admin for group:default/sre-team). The demo's
 * own guest stays a guest: this test signs in through the same guest
 * provider, configured (`auth.providers.guest.userEntityRef`) to sign in as
 * this catalog user, whose memberships the auth backend reads from the catalog.
 */
const SRE_MEMBER = 'user:default/kenji.watanabe';

/** A static-token agent of the demo (app-config.yaml), blocked and unblocked here. */
const BLOCKED_AGENT = 'scoped-agent';

async function adminApi(backend: DemoBackend, path: string) {
  const response = await fetch(`${backend.mcpUrl}/admin${path}`, {
    headers: { Authorization: `Bearer ${DEMO_TOKENS.admin}` },
  });
  expect(response.status).toBe(200);
  return response.json();
}

describe('the MCP page in a browser, as an MCP administrator', () => {
  let backend: DemoBackend;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureAppBuilt();
    backend = await startDemoBackend({
      prebuiltDocs: true,
      env: { APP_CONFIG_auth_providers_guest_userEntityRef: SRE_MEMBER },
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await signInAsGuest(page, backend.baseUrl);
  }, 600_000);
  afterAll(async () => {
    await browser?.close();
    await backend?.stop();
  });

  it('shows the block list and the budgets in force, as the admin API answers them', async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    await page.getByRole('heading', { name: 'Administration' }).waitFor();
    await page.getByTestId('mcp-no-blocks').waitFor();
    expect(await adminApi(backend, '/blocks')).toEqual({ items: [] });

    const budgets = await adminApi(backend, '/budgets');
    expect(budgets.portal.calls).toEqual({ limit: 3000, windowMs: 60_000 });
    const rows = await page.getByTestId('mcp-budget').allInnerTexts();
    expect(rows.map(row => row.replace(/\s+/g, ' ').trim())).toEqual([
      'Every user and agent (mcp.rateLimits) 3000 per minute 60 per minute',
      ...budgets.agents.map(
        (agent: any) =>
          `Agent ${agent.subject} ${agent.budgets.calls.limit} per minute ${agent.budgets.writes.limit} per minute`,
      ),
    ]);
    expect(rows.length).toBe(3);

    // Not a guest: the policy gives this user every tool.
    await page.getByTestId('mcp-tool-count').waitFor();
    const shown = await page.getByTestId('mcp-tool-name').allInnerTexts();
    const user = await connectMcpClient('2026-07-28', backend.mcpUrl, {
      Authorization: `Bearer ${await backend.guestToken()}`,
    });
    const listed = (await user.listTools()).map(tool => tool.name);
    await user.close();
    expect(shown).toEqual(listed);
    expect(shown).toContain('catalog_unregister_entity');

    const controls = await unlabelledControls(page, MCP_PAGE);
    expect(controls.checked).toBeGreaterThanOrEqual(10);
    expect(controls.unlabelled).toEqual([]);
    await screenshot(page, 'mcp-admin');
  });

  it('blocks an agent by keyboard and unblocks it, and the admin API agrees each time', async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    await page.getByTestId('mcp-no-blocks').waitFor();

    await tabTo(page, /^User or agent/);
    await page.keyboard.type(BLOCKED_AGENT);
    await page.keyboard.press('Tab');
    await page.keyboard.type('e2e: runaway loop');
    await tabTo(page, /^Block$/, 5);
    await page.keyboard.press('Enter');

    const row = page
      .getByTestId('mcp-block')
      .filter({ hasText: BLOCKED_AGENT });
    await row.waitFor();
    expect(await row.innerText()).toContain(SRE_MEMBER);
    const { items } = await adminApi(backend, '/blocks');
    expect(items).toEqual([
      expect.objectContaining({
        principal: BLOCKED_AGENT,
        reason: 'e2e: runaway loop',
        blockedBy: SRE_MEMBER,
        expiresAt: null,
      }),
    ]);
    await screenshot(page, 'mcp-admin-blocked');

    await page
      .getByRole('button', { name: `Unblock ${BLOCKED_AGENT}` })
      .click();
    await page.getByTestId('mcp-no-blocks').waitFor();
    expect(await adminApi(backend, '/blocks')).toEqual({ items: [] });
  });

  it('answers a refused block with the reason, and blocks nothing', async () => {
    await page.goto(`${backend.baseUrl}/mcp`);
    await page.getByTestId('mcp-no-blocks').waitFor();
    await page.getByLabel(/^User or agent/).fill(SRE_MEMBER);
    await page.getByLabel(/^Reason/).fill('oops');
    await page.getByRole('button', { name: 'Block' }).click();
    await page
      .getByRole('alert')
      .getByText('You cannot block yourself')
      .waitFor();
    expect(await adminApi(backend, '/blocks')).toEqual({ items: [] });
  });
});
