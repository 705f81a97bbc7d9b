import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

const PAYMENT_SERVICE = 'component:default/payment-service';
/** Labelled confidential in examples/: the demo policy hides them from guests. */
const CONFIDENTIAL = 'component:default/fraud-detection-service';
const ALSO_CONFIDENTIAL = 'component:default/fraud-scoring-rules';
const AGENT = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

type Hit = {
  type: string;
  ref?: string;
  title: string;
  location: string;
  excerpt?: string;
  rank?: number;
  path?: string;
  anchor?: string;
  document?: any;
};
type Page = {
  items: Hit[];
  total_count?: number;
  next_cursor?: string;
  truncation_hint?: string;
};

async function search(
  client: McpTestClient,
  args: Record<string, unknown>,
): Promise<Page> {
  const result = await client.callTool('search', args);
  expect({
    isError: result.isError,
    text: result.isError ? result.content[0].text : undefined,
  }).toEqual({
    isError: undefined,
    text: undefined,
  });
  return result.structuredContent as Page;
}

const refs = (page: Page) => page.items.map(hit => hit.ref);

/**
 * The catalog collator runs 15 s after boot (app-config.yaml) and Lunr then
 * builds the index; until then a typed search answers "missing index".
 */
async function waitForCatalogDocuments(backend: DemoBackend) {
  const client = await connectMcpClient('2025-11-25', backend.mcpUrl, AGENT);
  try {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const result = await client.callTool('search', {
        query: 'payment',
        types: ['software-catalog'],
      });
      if (
        !result.isError &&
        (result.structuredContent as Page).items.length > 0
      )
        return;
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(
      `The search index had no catalog documents in time:\n${backend
        .output()
        .slice(-3000)}`,
    );
  } finally {
    await client.close();
  }
}

/** The first TechDocs hit, once the demo's prebuilt docs are indexed (~30 s after boot). */
async function firstDocsHit(
  client: McpTestClient,
  args: Record<string, unknown>,
): Promise<Hit> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const result = await client.callTool('search', args);
    const hit = result.isError
      ? undefined
      : (result.structuredContent as Page).items[0];
    if (hit || Date.now() > deadline) return hit!;
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
}

describe('the search tool on the demo backend', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    // The committed prebuilt sites, as `npm start` serves them: this suite is
    // about search and reading pages, not building them (techdocs.e2e and
    // mkdocsFault build with MkDocs), and six MkDocs builds on a busy
    // machine could outlast the wait for the first TechDocs hit.
    backend = await startDemoBackend({ prebuiltDocs: true });
    await waitForCatalogDocuments(backend);
  }, 240_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    let agent: McpTestClient;
    let guest: McpTestClient;
    beforeAll(async () => {
      agent = await connectMcpClient(era, backend.mcpUrl, AGENT);
      guest = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
    });
    afterAll(async () => {
      await agent.close();
      await guest.close();
    });

    it('finds catalog entities with refs, portal links and clean excerpts', async () => {
      const page = await search(agent, {
        query: 'payment',
        types: ['software-catalog'],
      });
      expect(refs(page)).toContain(PAYMENT_SERVICE);
      const hit = page.items.find(h => h.ref === PAYMENT_SERVICE)!;
      expect(hit).toMatchObject({
        type: 'software-catalog',
        title: 'Payment Service',
        location: `${backend.baseUrl}/catalog/default/component/payment-service`,
        excerpt: expect.stringContaining('payment'),
      });
      for (const { excerpt } of page.items) {
        expect(excerpt ?? '').not.toMatch(/[<>]/);
        expect((excerpt ?? '').length).toBeLessThanOrEqual(302);
      }
      expect(page.items.map(h => h.rank)).toEqual(
        page.items.map((_, i) => i + 1),
      );
    });

    it('filters by kind and by owner', async () => {
      const apis = await search(agent, { query: 'payment', kind: 'API' });
      expect(refs(apis)).toContain('api:default/payment-api');
      expect(refs(apis).every(ref => ref?.startsWith('api:'))).toBe(true);

      const owned = await search(agent, {
        query: 'payment',
        owner: 'group:default/payments-team',
        response_format: 'detailed',
      });
      expect(refs(owned)).toContain(PAYMENT_SERVICE);
      expect(new Set(owned.items.map(h => h.document.owner))).toEqual(
        new Set(['payments-team']),
      );
    });

    it('pages with the cursor through every hit, without repeats', async () => {
      const first = await search(agent, {
        query: 'payment',
        types: ['software-catalog'],
        limit: 3,
      });
      expect(first.items).toHaveLength(3);
      expect(first.next_cursor).toEqual(expect.any(String));
      expect(first.total_count).toBeGreaterThan(6);

      const seen = refs(first);
      let cursor = first.next_cursor;
      while (cursor) {
        const next = await search(agent, {
          query: 'payment',
          types: ['software-catalog'],
          limit: 3,
          cursor,
        });
        expect(next.items.length).toBeGreaterThan(0);
        expect(next.items[0].rank).toBe(seen.length + 1);
        seen.push(...refs(next));
        cursor = next.next_cursor;
      }
      expect(seen).toHaveLength(first.total_count!);
      expect(new Set(seen).size).toBe(seen.length);
    });

    it('leaves out hits the caller may not read', async () => {
      // Catalog hits only: TechDocs hits join the index while the test runs.
      const asAgent = await search(agent, {
        query: 'fraud payment',
        types: ['software-catalog'],
        limit: 50,
      });
      expect(refs(asAgent)).toContain(CONFIDENTIAL);

      const asGuest = await search(guest, {
        query: 'fraud payment',
        types: ['software-catalog'],
        limit: 50,
      });
      expect(refs(asGuest)).toContain(PAYMENT_SERVICE);
      expect(refs(asGuest)).not.toContain(CONFIDENTIAL);
      expect(refs(asGuest)).toEqual(
        refs(asAgent).filter(
          ref => ref !== CONFIDENTIAL && ref !== ALSO_CONFIDENTIAL,
        ),
      );

      // The catalog tools agree: the same policy decides for both.
      const read = await guest.callTool('catalog_get_entity', {
        ref: CONFIDENTIAL,
      });
      expect(read.isError).toBe(true);
      expect(read.content[0].text).toMatch(/not found|may not read/i);
    });

    it('answers a type the portal does not index with an actionable error', async () => {
      const result = await agent.callTool('search', {
        query: 'payment',
        types: ['no-such-type'],
      });
      expect(result.isError).toBe(true);
      expect(result.content[0].text).toMatch(
        /^Invalid input: The search backend refused the query: .*types/,
      );
    });

    it('answers "what do the payment-service docs say about tokens?" with one search and one techdocs_get_page', async () => {
      const hit = await firstDocsHit(agent, {
        query: 'access token',
        entity: 'component:default/payment-service',
      });
      expect(hit).toMatchObject({
        type: 'techdocs',
        ref: 'component:default/payment-service',
        path: 'authentication/',
      });
      const page = await agent.callTool('techdocs_get_page', {
        ref: hit.ref,
        path: hit.path,
        ...(hit.anchor ? { section: hit.anchor } : {}),
      });
      expect(page.isError).toBeFalsy();
      expect((page.structuredContent as any).markdown).toContain(
        '`access_token` valid for 15 minutes',
      );

      // The agent finds the docs of a confidential component; the guest does not.
      expect(
        await firstDocsHit(agent, {
          query: 'thresholds',
          entity: ALSO_CONFIDENTIAL,
        }),
      ).toMatchObject({
        ref: ALSO_CONFIDENTIAL,
      });
      const hidden = await search(guest, {
        query: 'thresholds',
        entity: ALSO_CONFIDENTIAL,
      });
      expect(hidden.items).toEqual([]);
    }, 150_000);
  });
});
