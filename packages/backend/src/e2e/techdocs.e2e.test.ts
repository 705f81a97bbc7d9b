import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

// Test-only code, never bundled: __dirname is the source folder here.
// eslint-disable-next-line no-restricted-syntax
const EXAMPLE_DOCS = path.resolve(__dirname, '../../../../examples/docs');

/**
 * The components whose docs this file reads; mcp.e2e.test.ts reads
 * inventory-service's. TechDocs builds `dir:` docs in their source folder
 * (it rewrites mkdocs.yml there), so two backends must not build one site.
 */
const DOCUMENTED = [
  'payment-service',
  'checkout-service',
  'user-service',
  'platform-gateway',
];

/** Fails the whole file at once, with the fix, when mkdocs is missing. */
function requireMkdocs() {
  try {
    execFileSync('mkdocs', ['--version'], { encoding: 'utf8' });
  } catch {
    throw new Error(
      'The demo portal builds TechDocs with the local mkdocs, which is not installed. ' +
        'Install it with `apt-get install -y mkdocs` (Debian, Ubuntu) or `pip install mkdocs` (.ci/run does the former)',
    );
  }
}

describe('TechDocs through MCP on the demo backend', () => {
  let backend: DemoBackend;
  const sourcesBefore = new Map<string, string>();

  beforeAll(async () => {
    requireMkdocs();
    for (const name of [...DOCUMENTED, 'fraud-scoring-rules']) {
      const file = path.join(EXAMPLE_DOCS, name, 'mkdocs.yml');
      sourcesBefore.set(file, fs.readFileSync(file, 'utf8'));
    }
    backend = await startDemoBackend();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    let agent: McpTestClient;
    beforeAll(async () => {
      agent = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.agent}`,
      });
    });
    afterAll(() => agent.close());

    const content = async (
      name: string,
      args: Record<string, unknown>,
      client = agent,
    ) => {
      const result = await client.callTool(name, args);
      const error = result.isError ? result.content[0].text : undefined;
      expect({ name, error }).toEqual({ name, error: undefined });
      return result.structuredContent as any;
    };

    it("lists a component's pages in the site's navigation order", async () => {
      const result = await content('techdocs_list_pages', {
        ref: 'payment-service',
      });
      expect(result.ref).toBe('component:default/payment-service');
      expect(result.items).toEqual([
        { path: '/', title: 'Overview' },
        { path: '/authentication/', title: 'Authentication' },
        { path: '/api-usage/', title: 'API usage' },
        { path: '/runbook/', title: 'Runbook' },
      ]);
      expect(Date.parse(result.built_at)).toBeGreaterThan(
        Date.now() - 10 * 60_000,
      );
    });

    it('reads a built page as Markdown with its code blocks and tables, without the site around it', async () => {
      const page = await content('techdocs_get_page', {
        ref: 'payment-service',
        path: '/authentication/',
      });
      expect(page.title).toBe('Authentication');
      expect(page.markdown.startsWith('# Authentication\n\n')).toBe(true);
      expect(page.markdown).toContain(
        '```bash\ncurl -s https://auth.internal.acme-retail.example/oauth2/token',
      );
      expect(page.markdown).toContain(
        '| Scope | Allows | Typical caller |\n| --- | --- | --- |',
      );
      expect(page.markdown).toContain('> **Warning: Least privilege**');
      expect(page.markdown).toContain(
        '[runbook](/runbook/#certificate-expiry)',
      );
      for (const noise of [
        '¶',
        'Previous',
        'Keyboard Shortcuts',
        'Documentation built with',
      ]) {
        expect({ noise, found: page.markdown.includes(noise) }).toEqual({
          noise,
          found: false,
        });
      }
    });

    it('pages through the long runbook with continuation offsets', async () => {
      const whole = await content('techdocs_get_page', {
        ref: 'payment-service',
        path: '/runbook/',
        max_chars: 48_000,
      });
      expect(whole.total_chars).toBeGreaterThan(35_000);

      const first = await content('techdocs_get_page', {
        ref: 'payment-service',
        path: '/runbook/',
      });
      expect(first).toMatchObject({
        offset: 0,
        truncated: true,
        total_chars: whole.total_chars,
      });
      expect(first.markdown.length).toBeLessThanOrEqual(20_000);
      expect(first.truncation_hint).toContain(`offset=${first.next_offset}`);
      expect(first.outline.map((entry: any) => entry.title)).toEqual(
        expect.arrayContaining([
          'Alerts',
          'Procedures',
          'Rolling back a release',
        ]),
      );

      const pieces = [first.markdown];
      let offset: number | undefined = first.next_offset;
      while (offset !== undefined) {
        const piece = await content('techdocs_get_page', {
          ref: 'payment-service',
          path: '/runbook/',
          offset,
        });
        expect(piece.outline).toBeUndefined();
        pieces.push(piece.markdown);
        offset = piece.next_offset;
      }
      expect(pieces.length).toBe(2);
      expect(pieces.join('')).toBe(whole.markdown);
    });

    it('reads one section of the runbook', async () => {
      const section = await content('techdocs_get_page', {
        ref: 'payment-service',
        path: '/runbook/',
        section: 'Failing over to another PSP',
      });
      expect(section.section).toEqual({
        title: 'Failing over to another PSP',
        id: 'failing-over-to-another-psp',
      });
      expect(section.markdown).toContain('| DE, AT, NL, FR | Adyen | Stripe |');
      expect(section.markdown).not.toContain('### Skipping a poison message');
      expect(section.total_chars).toBeLessThan(3000);
    });

    it.each([
      [
        'checkout-service',
        '/architecture/',
        'outbox.Append(ctx, tx, "orders.v1"',
      ],
      ['user-service', '/gdpr-jobs/', '> **Danger**'],
      [
        'platform-gateway',
        '/routing/',
        '| `/api/checkout` | checkout-service | customer token |',
      ],
    ])('reads the docs of %s', async (ref, pagePath, expected) => {
      const pages = await content('techdocs_list_pages', { ref });
      expect(pages.items.map((item: any) => item.path)).toContain(pagePath);
      const page = await content('techdocs_get_page', { ref, path: pagePath });
      expect(page.markdown).toContain(expected);
    });

    it('says plainly when a component has no docs', async () => {
      const result = await agent.callTool('techdocs_get_page', {
        ref: 'cart-service',
      });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(
        /component:default\/cart-service has no TechDocs/,
      );
    });

    it('gives the guest no docs of a confidential component, and the docs of the others', async () => {
      const guest = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
      try {
        for (const [name, args] of [
          ['techdocs_list_pages', { ref: 'fraud-scoring-rules' }],
          [
            'techdocs_get_page',
            { ref: 'fraud-scoring-rules', path: '/thresholds/' },
          ],
        ] as const) {
          const refused = await guest.callTool(name, args);
          expect(refused.isError).toBe(true);
          expect(refused.structuredContent).toBeUndefined();
          expect(refused.content[0].text).toMatch(
            /^Not found: No entity component:default\/fraud-scoring-rules was found, or you may not read it/,
          );
          expect(refused.content[0].text).not.toMatch(/velocity|Thresholds/);
        }
        const allowed = await content(
          'techdocs_get_page',
          { ref: 'payment-service', path: '/api-usage/' },
          guest,
        );
        expect(allowed.markdown).toContain('# API usage');
      } finally {
        await guest.close();
      }
      // The same docs are there for a caller who may read them.
      const thresholds = await content('techdocs_get_page', {
        ref: 'fraud-scoring-rules',
        path: '/thresholds/',
      });
      expect(thresholds.markdown).toContain('`velocity.card`');
    });

    it('lists and runs the TechDocs tools for a catalog-reading agent, whose token allows catalog.entity.read', async () => {
      const reader = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.catalogReader}`,
      });
      try {
        const names = (await reader.listTools()).map(tool => tool.name);
        expect(names).toEqual(
          expect.arrayContaining(['techdocs_list_pages', 'techdocs_get_page']),
        );
        const page = await reader.callTool('techdocs_get_page', {
          ref: 'payment-service',
          path: '/authentication/',
        });
        expect(page.isError).toBeFalsy();
        expect((page.structuredContent as any).markdown).toContain(
          '# Authentication',
        );
      } finally {
        await reader.close();
      }
    });
  });

  it('keeps the confidential docs from the guest in the TechDocs backend too', async () => {
    const url = `${backend.baseUrl}/api/techdocs/static/docs/default/component/fraud-scoring-rules/thresholds/index.html`;
    const asGuest = await fetch(url, {
      headers: { Authorization: `Bearer ${await backend.guestToken()}` },
    });
    expect(asGuest.status).toBe(404);
    const asAgent = await fetch(url, {
      headers: { Authorization: `Bearer ${DEMO_TOKENS.agent}` },
    });
    expect(asAgent.status).toBe(200);
    expect(await asAgent.text()).toContain('velocity.card');
  });

  it('builds the docs without changing their sources', () => {
    expect(fs.readdirSync(backend.techdocsDir).length).toBeGreaterThan(0);
    for (const [file, before] of sourcesBefore) {
      expect({ file, content: fs.readFileSync(file, 'utf8') }).toEqual({
        file,
        content: before,
      });
    }
  });
});
