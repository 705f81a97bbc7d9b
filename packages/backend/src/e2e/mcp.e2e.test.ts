import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

/** Realistic calls of every tool against the example catalog. */
const TOOL_CALLS: Array<
  [string, Record<string, unknown>, (content: any) => void]
> = [
  ['whoami', {}, c => expect(c.principal.type).toBe('service')],
  [
    'catalog_search',
    { query: 'payment', kind: 'Component' },
    c =>
      expect(c.items.map((i: any) => i.ref)).toContain(
        'component:default/payment-service',
      ),
  ],
  [
    'catalog_get_entity',
    { ref: 'checkout-service' },
    c => {
      expect(c.entity.ref).toBe('component:default/checkout-service');
      expect(c.relations.ownedBy[0].ref).toBe('group:default/checkout-team');
    },
  ],
  [
    'catalog_get_relations',
    { ref: 'checkout-service', depth: 2 },
    c => {
      expect(c.nodes.length).toBeGreaterThan(2);
      expect(Math.max(...c.nodes.map((n: any) => n.depth))).toBe(2);
    },
  ],
  [
    'catalog_get_owner',
    { ref: 'api:default/payment-api' },
    c => {
      expect(c.owners[0].ref).toBe('group:default/payments-team');
      expect(c.owners[0].members.length).toBeGreaterThan(0);
    },
  ],
  [
    'catalog_list_owned_entities',
    { owner: 'payments-team' },
    c => {
      expect(c.counts_by_kind.Component).toBeGreaterThan(0);
      expect(c.counts_by_kind.API).toBeGreaterThan(0);
    },
  ],
  [
    'catalog_list_values',
    { field: 'spec.type', kind: ['API'] },
    c =>
      expect(c.values.map((v: any) => v.value)).toEqual(
        expect.arrayContaining(['openapi', 'asyncapi', 'graphql', 'grpc']),
      ),
  ],
  [
    'catalog_refresh_entity',
    { ref: 'checkout-service' },
    c => expect(c.refresh_scheduled).toBe(true),
  ],
  [
    'api_get_spec',
    { ref: 'payment-api', paths: ['/payment-intents'] },
    c => {
      expect(c.definition).toContain('/payment-intents');
      expect(c.selection).toBeDefined();
      expect(c.definition).not.toContain('/refunds:');
    },
  ],
  [
    'scaffolder_list_templates',
    { tags: 'nodejs' },
    c =>
      expect(c.items.map((i: any) => i.ref)).toContain(
        'template:default/nodejs-service',
      ),
  ],
  [
    'scaffolder_get_template',
    { ref: 'nodejs-service' },
    c => {
      expect(c.required).toEqual(expect.arrayContaining(['name', 'owner']));
      expect(c.pickers.map((p: any) => p.ui_field)).toContain('OwnerPicker');
    },
  ],
  [
    'scaffolder_validate_values',
    { ref: 'nodejs-service', values: { name: 'Not Valid!' } },
    c => {
      expect(c.valid).toBe(false);
      expect(c.problems.map((p: any) => p.field)).toContain('name');
    },
  ],
  [
    'scaffolder_list_actions',
    { query: 'debug' },
    c =>
      expect(c.items.map((i: any) => i.id)).toEqual(
        expect.arrayContaining(['debug:log', 'debug:wait']),
      ),
  ],
  // techdocs.e2e.test.ts covers the TechDocs tools in depth; inventory-service
  // is left to this file so that the two backends never build one site.
  [
    'techdocs_list_pages',
    { ref: 'inventory-service' },
    c =>
      expect(c.items.map((i: any) => i.path)).toEqual([
        '/',
        '/api-usage/',
        '/runbook/',
      ]),
  ],
  [
    'techdocs_get_page',
    { ref: 'inventory-service', path: '/api-usage/' },
    c => {
      expect(c.title).toBe('API usage');
      expect(c.markdown).toContain('```bash\ngrpcurl');
    },
  ],
  [
    'scaffolder_list_tasks',
    { owner: 'all', status: 'failed' },
    expectOnlyFailedTasks,
  ],
  // The demo's own toolset, added through the extension point (src/catalogQuality).
  [
    'quality_check_entity',
    { ref: 'cart-service' },
    c => {
      expect(c.ref).toBe('component:default/cart-service');
      expect(c.score).toBeGreaterThan(0);
      expect([...c.passed, ...c.failed.map((f: any) => f.check)]).toEqual(
        expect.arrayContaining(['description', 'owner']),
      );
    },
  ],
];

function expectOnlyFailedTasks(c: any) {
  expect(c.owner).toBe('all');
  expect(c.items.every((t: any) => t.status === 'failed')).toBe(true);
  expect(c.total_count).toBe(c.items.length);
}

/** Task tools answered for a task that does not exist (scaffolder.e2e.test.ts runs real ones). */
const UNKNOWN_TASK_CALLS = [
  'scaffolder_get_task',
  'scaffolder_cancel_task',
  'scaffolder_retry_task',
];
const UNKNOWN_TASK_ID = '00000000-0000-4000-8000-000000000000';

/**
 * Tools with end-to-end tests of their own: search waits for the index, and
 * redaction.e2e.test.ts drives the catalog write tools.
 */
const TOOLS_TESTED_ELSEWHERE = [
  'search',
  'scaffolder_run_template',
  'catalog_validate_entity',
  'catalog_register_location',
  // Actions of the demo's plugins, bridged (actions.e2e.test.ts).
  'catalog_get_catalog_model_description',
  'catalog_unregister_entity',
  'notifications_get_notifications',
];

async function rawPost(
  backend: DemoBackend,
  body: string,
  headers: Record<string, string> = {},
) {
  return fetch(backend.mcpUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      Authorization: `Bearer ${DEMO_TOKENS.agent}`,
      ...headers,
    },
    body,
  });
}

describe('the demo backend serves MCP at /api/mcp', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  // Every session hands the listing to a model (name, description, input
  // schema) and downloads all of it: the demo's default endpoint, with its
  // extension toolset and bridged actions, stays within issue 13's budget.
  it('lists every tool of the default endpoint within 20 kB for a model and 40 kB on the wire', async () => {
    const response = await rawPost(
      backend,
      JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
      { 'MCP-Protocol-Version': '2025-11-25' },
    );
    const body = await response.text();
    // A JSON body or one SSE event, as the client's Accept allows.
    const json = body.trimStart().startsWith('{')
      ? body
      : body.slice(body.indexOf('data: ') + 6).split('\n')[0];
    const { tools } = JSON.parse(json).result;
    expect(tools.map((t: { name: string }) => t.name)).toEqual(
      expect.arrayContaining([
        'quality_check_entity',
        'notifications_get_notifications',
      ]),
    );
    const modelVisible = tools.reduce(
      (sum: number, t: any) =>
        sum +
        Buffer.byteLength(
          JSON.stringify({
            name: t.name,
            description: t.description,
            inputSchema: t.inputSchema,
          }),
        ),
      0,
    );
    expect(modelVisible).toBeLessThanOrEqual(20_000);
    expect(Buffer.byteLength(body)).toBeLessThanOrEqual(40_000);
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    let agent: McpTestClient;
    beforeAll(async () => {
      agent = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.agent}`,
      });
    });
    afterAll(() => agent.close());

    it.each(TOOL_CALLS)(
      'calls %s with realistic arguments',
      async (name, args, check) => {
        const result = await agent.callTool(name, args);
        expect(result.isError).toBeFalsy();
        check(result.structuredContent);
      },
    );

    it('finds API definitions by type with catalog_search', async () => {
      const result = await agent.callTool('catalog_search', {
        kind: 'API',
        type: 'openapi',
      });
      expect(result.isError).toBeFalsy();
      const { items } = result.structuredContent as any;
      expect(items.length).toBeGreaterThanOrEqual(5);
      expect(items.every((i: any) => i.type === 'openapi')).toBe(true);
    });

    it.each(UNKNOWN_TASK_CALLS)(
      'answers %s for an unknown task with a pointer to the task list',
      async name => {
        const result = await agent.callTool(name, { task_id: UNKNOWN_TASK_ID });
        expect(result.isError).toBe(true);
        expect(result.content[0].text).toContain('scaffolder_list_tasks');
      },
    );

    it('pages through every API with cursors, without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let total = 0;
      do {
        const page = (
          await agent.callTool('catalog_search', {
            kind: 'API',
            limit: 4,
            ...(cursor ? { cursor } : {}),
          })
        ).structuredContent as any;
        total = page.total_count;
        seen.push(...page.items.map((i: any) => i.ref));
        cursor = page.next_cursor;
      } while (cursor);
      expect(total).toBeGreaterThanOrEqual(10);
      expect(seen).toHaveLength(total);
      expect(new Set(seen).size).toBe(total);
    });

    it('keeps every answer within the result size budget, saying what was cut and how to get it', async () => {
      // The whole example catalog, every entity whole: about 200,000 characters uncut.
      const result = await agent.callTool('catalog_search', {
        limit: 100,
        response_format: 'detailed',
      });
      expect(result.isError).toBeFalsy();
      const text = result.content.map(block => block.text ?? '').join('');
      expect(text.length).toBeLessThanOrEqual(60_000);
      const page = result.structuredContent as any;
      expect(page.items.length).toBeGreaterThan(0);
      expect(page.items.length).toBeLessThan(100);
      expect(page.next_cursor).toBeUndefined();
      expect(page.truncation_hint).toContain(`limit=${page.items.length}`);
      // Following the hint pages through everything.
      const first = await agent.callTool('catalog_search', {
        limit: page.items.length,
        response_format: 'detailed',
      });
      expect((first.structuredContent as any).items).toEqual(page.items);
      expect((first.structuredContent as any).next_cursor).toEqual(
        expect.any(String),
      );
    });

    it('gives each tool list its permission matrix', async () => {
      const all = (await agent.listTools()).map(t => t.name);
      expect([...all].sort()).toEqual(
        [
          ...TOOL_CALLS.map(([name]) => name),
          ...UNKNOWN_TASK_CALLS,
          ...TOOLS_TESTED_ELSEWHERE,
        ].sort(),
      );

      const guest = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
      const guestTools = await guest.listTools();
      expect(guestTools.length).toBeGreaterThan(0);
      // The demo policy: read-only tools, plus running and cancelling templates.
      expect(
        guestTools
          .filter(t => t.annotations?.readOnlyHint !== true)
          .map(t => t.name)
          .sort(),
      ).toEqual(['scaffolder_cancel_task', 'scaffolder_run_template']);
      expect(guestTools.map(t => t.name)).not.toContain(
        'catalog_refresh_entity',
      );
      expect(guestTools.map(t => t.name)).toContain(
        'notifications_get_notifications',
      );
      const refused = await guest.callTool('catalog_refresh_entity', {
        ref: 'checkout-service',
      });
      expect(refused.isError).toBe(true);
      expect(refused.content[0].text).toMatch(/Not allowed/);
      await guest.close();

      const reader = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.catalogReader}`,
      });
      const readerTools = (await reader.listTools()).map(t => t.name);
      expect(readerTools).toContain('catalog_get_entity');
      expect(readerTools).not.toContain('catalog_refresh_entity');
      expect(readerTools).not.toContain('scaffolder_run_template');
      // Listed tools also run: Backstage does not delegate a restricted token
      // to the catalog, so its tools call with the plugin's identity.
      const read = await reader.callTool('catalog_get_entity', {
        ref: 'checkout-service',
      });
      expect(read.isError).toBeFalsy();
      expect((read.structuredContent as any).entity.ref).toBe(
        'component:default/checkout-service',
      );
      const whoami = await reader.callTool('whoami', {});
      expect((whoami.structuredContent as any).principal).toEqual({
        type: 'service',
        subject: 'catalog-reader-agent',
      });
      await reader.close();
    });

    it('strips invisible characters that others wrote before results reach the model', async () => {
      const REST = `${backend.baseUrl}/api/catalog/entities/by-name/component/default/cart-service`;
      const raw = await (
        await fetch(REST, {
          headers: { Authorization: `Bearer ${DEMO_TOKENS.agent}` },
        })
      ).json();
      // The example hides an instruction in Unicode tag characters.
      expect(/[\u{E0000}-\u{E007F}]/u.test(raw.metadata.description)).toBe(
        true,
      );

      const logs = backend.logsSince();
      const result = await agent.callTool('catalog_get_entity', {
        ref: 'cart-service',
      });
      const description = (result.structuredContent as any).entity.description;
      expect(description).toBe(
        'Stores guest and customer carts in Redis, merges carts on login and enriches every read with live prices and availability.',
      );
      expect(/[\p{Cf}]/u.test(result.content[0].text!)).toBe(false);
      await new Promise(resolve => setTimeout(resolve, 200));
      expect(logs()).toMatch(/"invisibleCharactersRemoved":7[0-9]/);
    });

    it('answers bad input with actionable errors and keeps serving', async () => {
      const badRef = await agent.callTool('catalog_get_entity', {
        ref: 'component:default/',
      });
      expect(badRef.isError).toBe(true);
      expect(badRef.content[0].text).toMatch(/kind:namespace\/name/);

      const wrongType = await agent.callTool('catalog_get_relations', {
        ref: 'checkout-service',
        depth: 'deep',
      });
      expect(wrongType.isError).toBe(true);
      expect(wrongType.content[0].text).toMatch(/depth/);

      const huge = await agent.callTool('catalog_search', {
        query: 'x'.repeat(50_000),
      });
      expect(huge.isError).toBe(true);
      expect(huge.content[0].text).toMatch(/query/);

      await expect(agent.callTool('delete_everything', {})).rejects.toThrow(
        /Unknown tool/,
      );

      const stillServing = await agent.callTool('whoami', {});
      expect(stillServing.isError).toBeFalsy();
    });
  });

  describe('at the HTTP boundary', () => {
    it('asks for a token with 401 and WWW-Authenticate pointing at the metadata', async () => {
      const response = await rawPost(
        backend,
        '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
        { Authorization: '' },
      );
      expect(response.status).toBe(401);
      const challenge = response.headers.get('www-authenticate')!;
      expect(challenge).toContain('resource_metadata=');
      const metadataUrl = /resource_metadata="([^"]+)"/.exec(challenge)![1];
      const metadata = await (await fetch(metadataUrl)).json();
      expect(metadata.resource).toBe(backend.mcpUrl);
      expect(metadata.authorization_servers).toEqual([
        `${backend.baseUrl}/api/auth`,
      ]);
    });

    it('rejects an invalid token with 401', async () => {
      const response = await rawPost(
        backend,
        '{"jsonrpc":"2.0","id":1,"method":"tools/list"}',
        {
          Authorization: 'Bearer not-a-real-token',
        },
      );
      expect(response.status).toBe(401);
      expect(response.headers.get('www-authenticate')).toContain(
        'invalid_token',
      );
    });

    it('refuses a foreign Origin with 403 and accepts the portal origin', async () => {
      const list = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';
      const foreign = await rawPost(backend, list, {
        Origin: 'https://evil.example',
      });
      expect(foreign.status).toBe(403);
      expect((await foreign.json()).error.message).toMatch(/allowedOrigins/);
      // The portal's app is served by the backend: one origin for both.
      const own = await rawPost(backend, list, {
        Origin: backend.baseUrl,
      });
      expect(own.status).toBe(200);
    });

    it('accepts the portal origin under every loopback name, with its scheme and port only', async () => {
      // backend.baseUrl is http://localhost:<port>; the MCP conformance
      // suite's DNS-rebinding scenario sends the host it was given as Origin.
      const list = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';
      const { port } = new URL(backend.baseUrl);
      const statusFor = async (origin: string) =>
        (await rawPost(backend, list, { Origin: origin })).status;
      expect(await statusFor(`http://127.0.0.1:${port}`)).toBe(200);
      expect(await statusFor(`http://[::1]:${port}`)).toBe(200);
      expect(await statusFor(`https://127.0.0.1:${port}`)).toBe(403);
      expect(await statusFor(`http://127.0.0.1:${Number(port) + 1}`)).toBe(403);
      expect(await statusFor(`http://127.0.0.2:${port}`)).toBe(403);
      const admin = await fetch(`${backend.mcpUrl}/admin/blocks`, {
        headers: {
          Authorization: `Bearer ${DEMO_TOKENS.admin}`,
          Origin: `http://127.0.0.1:${port}`,
        },
      });
      expect(admin.status).toBe(200);
    });

    it('answers malformed JSON-RPC with JSON-RPC errors, never a 500', async () => {
      const cases = [
        '{"jsonrpc": "2.0", "id": 1, "method": ',
        '{"hello":"world"}',
        '[]',
        '',
      ];
      for (const body of cases) {
        const response = await rawPost(backend, body);
        expect(response.status).toBeGreaterThanOrEqual(400);
        expect(response.status).toBeLessThan(500);
        const text = await response.text();
        expect(text).toMatch(/"code":-32\d{3}/);
        expect(text).not.toMatch(/\bat .+\.(js|ts):\d+/);
      }
    });

    it('refuses bodies over the size limit with 413', async () => {
      const body = JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'tools/call',
        params: {
          name: 'catalog_search',
          arguments: { query: 'x'.repeat(600_000) },
        },
      });
      const response = await rawPost(backend, body);
      expect(response.status).toBe(413);
    });

    it('answers GET and DELETE with 405', async () => {
      for (const method of ['GET', 'DELETE']) {
        const response = await fetch(backend.mcpUrl, {
          method,
          headers: {
            Authorization: `Bearer ${DEMO_TOKENS.agent}`,
            Accept: 'text/event-stream',
          },
        });
        expect(response.status).toBe(405);
      }
    });

    it('audits every tool call without secrets', async () => {
      const logs = backend.logsSince();
      const client = await connectMcpClient('2025-11-25', backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.agent}`,
      });
      const refused = await client.callTool('catalog_search', {
        query: 'checkout',
        api_key: 'sekret-value',
      });
      expect(refused.isError).toBe(true);
      await client.callTool('catalog_search', { query: 'checkout' });
      // Template values may hold secrets under any name: only keys are audited.
      await client.callTool('scaffolder_validate_values', {
        ref: 'nodejs-service',
        values: { name: 'svc', dbConnection: 'postgres://u:hunter2-value@db' },
      });
      await client.close();
      await new Promise(resolve => setTimeout(resolve, 200));
      const printed = logs();
      expect(printed).toMatch(/tool-call/);
      expect(printed).toMatch(/catalog_search/);
      expect(printed).not.toContain('sekret-value');
      expect(printed).toMatch(/scaffolder_validate_values/);
      expect(printed).not.toContain('hunter2-value');
      expect(printed).not.toContain(DEMO_TOKENS.agent);
    });
  });
});
