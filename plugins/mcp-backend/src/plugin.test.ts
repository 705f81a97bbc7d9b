import { mockCredentials } from '@backstage/backend-test-utils';
import { connectMcpClient, PROTOCOL_ERAS } from '@backstage-mcp/test-utils';
import { conditionalToolPermissions } from './__testUtils__/governance';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

describe('mcp plugin over HTTP with the real catalog', () => {
  let mcpUrl: string;
  let stop: () => Promise<void>;
  const auth = {
    Authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    const started = await startMcpTestBackend();
    mcpUrl = started.mcpUrl;
    stop = () => started.backend.stop();
  });
  afterAll(() => stop());

  describe.each(PROTOCOL_ERAS)('a %s client', era => {
    it('lists the tools with schemas and annotations', async () => {
      const client = await connectMcpClient(era, mcpUrl, auth);
      const tools = await client.listTools();
      expect(tools.map(t => t.name)).toEqual(
        expect.arrayContaining([
          'whoami',
          'catalog_search',
          'catalog_get_entity',
        ]),
      );
      for (const tool of tools) {
        expect(tool.name).toMatch(/^[a-z][a-z0-9_]*$/);
        expect(tool.annotations).toMatchObject({
          readOnlyHint: expect.any(Boolean),
        });
      }
      await client.close();
    });

    it('reads an entity with its relations, resolved when detailed, as the caller', async () => {
      const client = await connectMcpClient(era, mcpUrl, auth);
      const concise = await client.callTool('catalog_get_entity', {
        ref: 'shop-backend',
      });
      expect(concise.isError).toBeFalsy();
      expect((concise.structuredContent as any).relations.ownedBy).toEqual([
        { ref: 'group:default/team-a' },
      ]);
      const result = await client.callTool('catalog_get_entity', {
        ref: 'shop-backend',
        response_format: 'detailed',
      });
      expect(result.isError).toBeFalsy();
      const content = result.structuredContent as any;
      expect(content.entity.ref).toBe('component:default/shop-backend');
      expect(content.relations.ownedBy).toEqual([
        expect.objectContaining({ ref: 'group:default/team-a', kind: 'Group' }),
      ]);
      expect(content.relations.providesApi[0]).toMatchObject({
        ref: 'api:default/shop-api',
        type: 'openapi',
      });
      expect(JSON.parse(result.content[0].text!)).toEqual(content);
      await client.close();
    });

    it('pages through search results with a cursor', async () => {
      const client = await connectMcpClient(era, mcpUrl, auth);
      const first = (
        await client.callTool('catalog_search', {
          owner: 'team-a',
          kind: 'Component',
          limit: 1,
        })
      ).structuredContent as any;
      expect(first.total_count).toBe(2);
      expect(first.items).toHaveLength(1);
      expect(first.truncation_hint).toContain('cursor');
      const second = (
        await client.callTool('catalog_search', {
          cursor: first.next_cursor,
          limit: 1,
        })
      ).structuredContent as any;
      expect(second.items).toHaveLength(1);
      expect(second.items[0].ref).not.toBe(first.items[0].ref);
      await client.close();
    });

    it('answers a bad ref and bad arguments with actionable tool errors', async () => {
      const client = await connectMcpClient(era, mcpUrl, auth);
      const missing = await client.callTool('catalog_get_entity', {
        ref: 'component:default/nope',
      });
      expect(missing.isError).toBe(true);
      expect(missing.content[0].text).toContain('catalog_search');

      const wrongType = await client.callTool('catalog_search', {
        limit: 'ten',
      });
      expect(wrongType.isError).toBe(true);
      expect(wrongType.content[0].text).toMatch(/limit/);

      await expect(client.callTool('no_such_tool', {})).rejects.toThrow(
        /Unknown tool/,
      );
      // The server keeps serving after each error.
      const whoami = await client.callTool('whoami', {});
      expect(whoami.structuredContent).toMatchObject({
        principal: { type: 'user', user_entity_ref: 'user:default/alice' },
      });
      await client.close();
    });
  });
});

describe('mcp plugin permission gate', () => {
  it.each(PROTOCOL_ERAS)(
    'lists and runs only the tools a conditional decision allows (%s)',
    async era => {
      // Only the MCP permission is conditional; the catalog's own checks pass.
      const permissions = conditionalToolPermissions({
        rule: 'IS_TOOL_NAME',
        resourceType: 'mcp-tool',
        params: { names: ['whoami'] },
      });
      const { backend, mcpUrl } = await startMcpTestBackend({
        features: [permissions.factory],
      });
      try {
        const client = await connectMcpClient(era, mcpUrl, {
          Authorization: mockCredentials.user.header(),
        });
        expect((await client.listTools()).map(t => t.name)).toEqual(['whoami']);
        const denied = await client.callTool('catalog_search', {
          query: 'shop',
        });
        expect(denied.isError).toBe(true);
        expect(denied.content[0].text).toMatch(/Not allowed/);
        expect(permissions.authorizeConditional).toHaveBeenCalled();
        await client.close();
      } finally {
        await backend.stop();
      }
    },
  );
});
