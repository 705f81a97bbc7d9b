import { mockCredentials } from '@backstage/backend-test-utils';
import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
} from '@backstage-mcp/test-utils';
import { conditionalToolPermissions } from './__testUtils__/governance';
import { startMcpTestBackend } from './__testUtils__/startMcpTestBackend';

const ENTITY_TEMPLATE = 'backstage://entity/{kind}/{namespace}/{name}';

describe('mcp plugin resources and prompts over HTTP with the real catalog', () => {
  let mcpUrl: string;
  let stop: () => Promise<void>;
  const auth = {
    Authorization: mockCredentials.user.header('user:default/alice'),
  };

  beforeAll(async () => {
    // Pages of 2 (the largest page size) make the fixture's five listed entities span pages.
    const started = await startMcpTestBackend({
      config: { mcp: { results: { defaultPageSize: 2, maxPageSize: 2 } } },
    });
    mcpUrl = started.mcpUrl;
    stop = () => started.backend.stop();
  });
  afterAll(() => stop());

  describe.each(PROTOCOL_ERAS)('a %s client', era => {
    let client: McpTestClient;
    beforeAll(async () => {
      client = await connectMcpClient(era, mcpUrl, auth);
    });
    afterAll(() => client.close());

    it('lists the entity and docs templates and pages through the listed kinds', async () => {
      expect(await client.listResourceTemplates()).toEqual([
        expect.objectContaining({
          uriTemplate: ENTITY_TEMPLATE,
          mimeType: 'application/json',
        }),
        expect.objectContaining({
          uriTemplate: 'backstage://docs/{kind}/{namespace}/{name}/{+path}',
          mimeType: 'text/markdown',
        }),
      ]);
      const names: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await client.listResources(cursor);
        expect(page.resources.length).toBeLessThanOrEqual(2);
        names.push(...page.resources.map(r => r.name));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor && pages < 10);
      // Resources and users are not listed; shop-db and alice stay out.
      expect(names.sort()).toEqual([
        'api:default/shop-api',
        'component:default/shop-backend',
        'component:default/shop-frontend',
        'group:default/team-a',
        'system:default/shop',
      ]);
      expect(pages).toBe(3);
    });

    it('reads an entity resource with the same content as a detailed catalog_get_entity', async () => {
      const uri = 'backstage://entity/component/default/shop-backend';
      const [contents] = await client.readResource(uri);
      expect(contents).toMatchObject({ uri, mimeType: 'application/json' });
      const tool = await client.callTool('catalog_get_entity', {
        ref: 'component:default/shop-backend',
        response_format: 'detailed',
      });
      expect(JSON.parse(contents.text!)).toEqual(tool.structuredContent);
    });

    it('answers a missing entity and a foreign URI with clear errors', async () => {
      await expect(
        client.readResource('backstage://entity/component/default/nope'),
      ).rejects.toThrow(/No entity component:default\/nope was found/);
      await expect(
        client.readResource('https://example.com/x'),
      ).rejects.toThrow(/not a resource URI of this server/);
    });

    it('completes kinds, namespaces and names narrowed by the chosen kind', async () => {
      const ref = { type: 'ref/resource' as const, uri: ENTITY_TEMPLATE };
      expect(
        (await client.complete(ref, { name: 'kind', value: 'comp' })).values,
      ).toEqual(['component']);
      expect(
        (await client.complete(ref, { name: 'namespace', value: '' })).values,
      ).toEqual(['default']);
      const names = await client.complete(
        ref,
        { name: 'name', value: 'shop' },
        { kind: 'component' },
      );
      expect(names.values).toEqual(['shop-backend', 'shop-frontend']);
      expect(names.hasMore).toBe(false);
    });

    it('lists every prompt and embeds the entity in onboard_to_service', async () => {
      expect((await client.listPrompts()).map(p => p.name)).toEqual([
        'onboard_to_service',
        'incident_triage',
        'what_do_i_own',
        'create_service_from_template',
      ]);
      const prompt = await client.getPrompt('onboard_to_service', {
        service: 'shop-backend',
      });
      const embedded = prompt.messages.find(
        m => m.content.type === 'resource',
      )!;
      expect(embedded.content.resource!.uri).toBe(
        'backstage://entity/component/default/shop-backend',
      );
      expect(JSON.parse(embedded.content.resource!.text!).entity.ref).toBe(
        'component:default/shop-backend',
      );
      expect(
        prompt.messages.map(m => m.content.text ?? '').join('\n'),
      ).toContain('catalog_get_owner');

      const completion = await client.complete(
        { type: 'ref/prompt', name: 'onboard_to_service' },
        { name: 'service', value: 'shop-f' },
      );
      expect(completion.values).toEqual(['component:default/shop-frontend']);
      await expect(client.getPrompt('onboard_to_service', {})).rejects.toThrow(
        /needs the argument "service"/,
      );
    });
  });
});

describe('mcp plugin resources and prompts behind the permission gate', () => {
  it.each(PROTOCOL_ERAS)(
    'hides and refuses what a caller limited to whoami may not use (%s)',
    async era => {
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
        expect(await client.listResourceTemplates()).toEqual([]);
        expect((await client.listResources()).resources).toEqual([]);
        expect(await client.listPrompts()).toEqual([]);
        await expect(
          client.readResource(
            'backstage://entity/component/default/shop-backend',
          ),
        ).rejects.toThrow(/Not allowed/);
        await expect(client.getPrompt('what_do_i_own')).rejects.toThrow(
          /Not allowed/,
        );
        const completion = await client.complete(
          { type: 'ref/resource', uri: ENTITY_TEMPLATE },
          { name: 'name', value: 'shop' },
        );
        expect(completion.values).toEqual([]);
        await client.close();
      } finally {
        await backend.stop();
      }
    },
  );
});
