import { mockCredentials } from '@backstage/backend-test-utils';
import { connectMcpClient, PROTOCOL_ERAS } from '@backstage-mcp/test-utils';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

const auth = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};
const LIST = '{"jsonrpc":"2.0","id":1,"method":"tools/list"}';

const post = (url: string, headers: Record<string, string> = auth) =>
  fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      ...headers,
    },
    body: LIST,
  });

describe('named endpoints', () => {
  let baseUrl: string;
  let mcpUrl: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    const started = await startMcpTestBackend({
      config: {
        mcp: {
          endpoints: {
            readonly: { readOnly: true },
            'catalog-only': { toolsets: ['catalog'] },
          },
        },
      },
    });
    ({ baseUrl, mcpUrl } = started);
    stop = () => started.backend.stop();
  });
  afterAll(() => stop());

  describe.each(PROTOCOL_ERAS)('a %s client', era => {
    it('gets only read-only tools at /api/mcp/readonly, and the rest at /api/mcp', async () => {
      const readonly = await connectMcpClient(era, `${mcpUrl}/readonly`, auth);
      const tools = await readonly.listTools();
      expect(tools.length).toBeGreaterThan(3);
      expect(tools.filter(t => t.annotations?.readOnlyHint !== true)).toEqual(
        [],
      );
      expect(tools.map(t => t.name)).toContain('catalog_get_entity');
      await expect(
        readonly.callTool('catalog_refresh_entity', { ref: 'shop-backend' }),
      ).rejects.toThrow(/Unknown tool/);
      const read = await readonly.callTool('catalog_get_entity', {
        ref: 'shop-backend',
      });
      expect((read.structuredContent as any).entity.ref).toBe(
        'component:default/shop-backend',
      );
      await readonly.close();

      const main = await connectMcpClient(era, mcpUrl, auth);
      expect((await main.listTools()).map(t => t.name)).toContain(
        'catalog_refresh_entity',
      );
      await main.close();
    });

    it('serves one toolset, plus core, at /api/mcp/catalog-only', async () => {
      const client = await connectMcpClient(
        era,
        `${mcpUrl}/catalog-only`,
        auth,
      );
      const toolsets = new Set(
        (await client.listTools()).map(t => t.name.split('_')[0]),
      );
      expect([...toolsets].sort()).toEqual(['catalog', 'whoami']);
      await client.close();
    });
  });

  it('names the endpoint as the protected resource', async () => {
    // The test backend counts a request without token as a mock user; an invalid one is refused.
    const response = await post(`${mcpUrl}/readonly`, {
      Authorization: 'Bearer not-a-token',
    });
    expect(response.status).toBe(401);
    const metadataUrl = /resource_metadata="([^"]+)"/.exec(
      response.headers.get('www-authenticate')!,
    )![1];
    expect(metadataUrl).toBe(
      `${baseUrl}/.well-known/oauth-protected-resource/api/mcp/readonly`,
    );
    expect((await (await fetch(metadataUrl)).json()).resource).toBe(
      `${mcpUrl}/readonly`,
    );
    const main = await (
      await fetch(`${baseUrl}/.well-known/oauth-protected-resource/api/mcp`)
    ).json();
    expect(main.resource).toBe(mcpUrl);
    expect(main.scopes_supported).toEqual(['openid']);
    expect(response.headers.get('www-authenticate')).toContain(
      'scope="openid"',
    );
  });

  it('answers an unknown endpoint with 404', async () => {
    expect((await post(`${mcpUrl}/nope`)).status).toBe(404);
  });
});

describe('mcp.enabled: false', () => {
  it('answers 503 with a JSON-RPC error before authentication, metadata included', async () => {
    const { backend, baseUrl, mcpUrl } = await startMcpTestBackend({
      config: {
        mcp: { enabled: false, endpoints: { readonly: { readOnly: true } } },
      },
    });
    try {
      for (const url of [mcpUrl, `${mcpUrl}/readonly`]) {
        for (const headers of [auth, {}]) {
          const response = await post(url, headers);
          expect(response.status).toBe(503);
          const body = await response.json();
          expect(body).toMatchObject({
            jsonrpc: '2.0',
            id: null,
            error: { code: -32000 },
          });
          expect(body.error.message).toMatch(
            /disabled .* by its administrators/,
          );
        }
      }
      const metadata = await fetch(
        `${baseUrl}/.well-known/oauth-protected-resource/api/mcp`,
      );
      expect(metadata.status).toBe(503);
    } finally {
      await backend.stop();
    }
  });
});

describe('agent scopes in the plugin', () => {
  it('fails startup on a tool name the plugin does not define, listing the known ones', async () => {
    await expect(
      startMcpTestBackend({
        config: {
          mcp: { agents: [{ subject: 'bot', tools: ['catalog_serch'] }] },
        },
      }),
    ).rejects.toThrow(
      /mcp\.agents \(subject "bot"\) names unknown tools: catalog_serch\. Known tools: .*catalog_search/,
    );
  });

  it("lists and runs only the tools in a service principal's scope", async () => {
    const { backend, mcpUrl } = await startMcpTestBackend({
      config: {
        mcp: {
          agents: [{ subject: 'scoped-bot', tools: ['catalog_get_entity'] }],
        },
      },
    });
    try {
      const client = await connectMcpClient('2025-11-25', mcpUrl, {
        Authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('scoped-bot'),
          targetPluginId: 'mcp',
        }),
      });
      expect((await client.listTools()).map(t => t.name)).toEqual([
        'whoami',
        'catalog_get_entity',
      ]);
      const refused = await client.callTool('catalog_search', {
        query: 'shop',
      });
      expect(refused.content[0].text).toMatch(/^Not allowed: .*mcp\.agents/);
      await client.close();
    } finally {
      await backend.stop();
    }
  });
});
