import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ProtocolEra,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';

const ENTITY_TEMPLATE = 'backstage://entity/{kind}/{namespace}/{name}';
const DOCS_TEMPLATE = 'backstage://docs/{kind}/{namespace}/{name}/{+path}';
const CONFIDENTIAL_URI =
  'backstage://entity/component/default/fraud-detection-service';

/** Every prompt with realistic arguments against the example catalog. */
const PROMPT_CALLS: Array<[string, Record<string, string>, RegExp]> = [
  ['onboard_to_service', { service: 'checkout-service' }, /catalog_get_owner/],
  ['incident_triage', { component: 'payment-service' }, /"depth": 2/],
  ['what_do_i_own', { kind: 'API' }, /catalog_list_owned_entities/],
  [
    'create_service_from_template',
    { template: 'nodejs-service', name: 'gift-cards' },
    /scaffolder_run_template/,
  ],
];

async function listEveryResource(client: McpTestClient) {
  const names: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const page = await client.listResources(cursor);
    names.push(...page.resources.map(r => r.name));
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { names, pages };
}

describe('the demo backend serves MCP resources and prompts', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend();
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  });

  describe.each(PROTOCOL_ERAS)('with a %s client', (era: ProtocolEra) => {
    let agent: McpTestClient;
    let guest: McpTestClient;
    beforeAll(async () => {
      agent = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${DEMO_TOKENS.agent}`,
      });
      guest = await connectMcpClient(era, backend.mcpUrl, {
        Authorization: `Bearer ${await backend.guestToken()}`,
      });
    });
    afterAll(async () => {
      await agent.close();
      await guest.close();
    });

    it('lists the entities in pages of 100, without repeats', async () => {
      expect(
        (await agent.listResourceTemplates()).map(t => t.uriTemplate),
      ).toEqual([ENTITY_TEMPLATE, DOCS_TEMPLATE]);
      // Clients that do not follow cursors see the first page only: the
      // demo's 57 listed entities fit in it.
      const first = await agent.listResources();
      expect(first.resources.length).toBe(57);
      const { names, pages } = await listEveryResource(agent);
      expect(pages).toBeLessThanOrEqual(2);
      expect(new Set(names).size).toBe(names.length);
      expect(names).toEqual(
        expect.arrayContaining([
          'component:default/checkout-service',
          'api:default/payment-api',
        ]),
      );
      expect(
        names.every(name => /^(component|api|system|group):/.test(name)),
      ).toBe(true);
    });

    it('lists resources without the instruction hidden in a description', async () => {
      const listed: Array<{ name: string; description?: string }> = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 50; pages++) {
        const page = await agent.listResources(cursor);
        listed.push(...page.resources);
        cursor = page.nextCursor;
        if (!cursor) break;
      }
      const cart = listed.find(
        r => r.name === 'component:default/cart-service',
      );
      expect(cart?.description).toMatch(
        /^Stores guest and customer carts in Redis.*availability\.…?$/,
      );
      expect(JSON.stringify(listed)).not.toMatch(
        /[\u200B\u{E0000}-\u{E007F}]/u,
      );
    });

    it('reads an entity resource with its relations', async () => {
      const [contents] = await agent.readResource(
        'backstage://entity/component/default/checkout-service',
      );
      expect(contents.mimeType).toBe('application/json');
      const details = JSON.parse(contents.text!);
      expect(details.entity.ref).toBe('component:default/checkout-service');
      expect(details.relations.ownedBy[0].ref).toBe(
        'group:default/checkout-team',
      );
    });

    it('reads TechDocs pages as Markdown resources, as the caller', async () => {
      const [page] = await agent.readResource(
        'backstage://docs/component/default/payment-service/authentication/',
      );
      expect(page.mimeType).toBe('text/markdown');
      expect(page.text).toContain('# Authentication');
      expect(page.text).toContain('```bash');
      const [home] = await agent.readResource(
        'backstage://docs/component/default/payment-service/index.html',
      );
      expect(home.text).toMatch(/^# /);

      const confidential =
        'backstage://docs/component/default/fraud-scoring-rules/thresholds/';
      const [asAgent] = await agent.readResource(confidential);
      expect(asAgent.text).toContain('velocity.card');
      await expect(guest.readResource(confidential)).rejects.toThrow(
        /fraud-scoring-rules/,
      );
    });

    it('completes entity names narrowed by kind', async () => {
      const ref = { type: 'ref/resource' as const, uri: ENTITY_TEMPLATE };
      const names = await agent.complete(
        ref,
        { name: 'name', value: 'payment' },
        { kind: 'api' },
      );
      expect(names.values).toContain('payment-api');
      expect(names.values).not.toContain('payment-service');
      const kinds = await agent.complete(ref, { name: 'kind', value: 'comp' });
      expect(kinds.values).toEqual(['component']);
    });

    it('lists every prompt and gets each with realistic arguments', async () => {
      expect((await agent.listPrompts()).map(p => p.name).sort()).toEqual(
        PROMPT_CALLS.map(([name]) => name).sort(),
      );
      for (const [name, args, expected] of PROMPT_CALLS) {
        const prompt = await agent.getPrompt(name, args);
        expect(
          prompt.messages
            .map(m => m.content.text ?? m.content.resource?.text)
            .join('\n'),
        ).toMatch(expected);
      }
    });

    it('neither lists nor reads a confidential entity for a guest', async () => {
      const { names } = await listEveryResource(guest);
      expect(names).toContain('component:default/checkout-service');
      expect(names).not.toContain('component:default/fraud-detection-service');
      await expect(guest.readResource(CONFIDENTIAL_URI)).rejects.toThrow(
        /No entity component:default\/fraud-detection-service/,
      );
      const completion = await guest.complete(
        { type: 'ref/resource', uri: ENTITY_TEMPLATE },
        { name: 'name', value: 'fraud' },
        { kind: 'component' },
      );
      expect(completion.values).toEqual([]);
      await expect(
        guest.getPrompt('onboard_to_service', {
          service: 'fraud-detection-service',
        }),
      ).rejects.toThrow(/No entity component:default\/fraud-detection-service/);

      // The agent, which may read it, gets it.
      const [contents] = await agent.readResource(CONFIDENTIAL_URI);
      expect(JSON.parse(contents.text!).entity.ref).toBe(
        'component:default/fraud-detection-service',
      );
    });
  });
});
