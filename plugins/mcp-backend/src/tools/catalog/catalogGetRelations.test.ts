import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import {
  catalogEntities,
  makeEntity,
  REFS,
} from '../../__testUtils__/entities';
import { McpTool } from '../types';
import { createCatalogGetRelationsTool } from './catalogGetRelations';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const credentials = mockCredentials.user('user:default/alice');

/** Two components that depend on each other. */
const RING = [
  makeEntity({
    kind: 'Component',
    name: 'ring-a',
    relations: [
      ['dependsOn', 'component:default/ring-b'],
      ['dependencyOf', 'component:default/ring-b'],
    ],
  }),
  makeEntity({
    kind: 'Component',
    name: 'ring-b',
    relations: [
      ['dependsOn', 'component:default/ring-a'],
      ['dependencyOf', 'component:default/ring-a'],
    ],
  }),
];

function setup(extraEntities: Entity[] = []) {
  const catalog = catalogServiceMock({
    entities: [...catalogEntities(), ...extraEntities],
  });
  const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const tool = createCatalogGetRelationsTool({ catalog });
  return { tool, catalog, getEntitiesByRefs };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

const nodeDepths = (result: { nodes: Array<{ ref: string; depth: number }> }) =>
  Object.fromEntries(result.nodes.map(n => [n.ref, n.depth]));

describe('catalog_get_relations', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'direction',
      'relation_types',
      'depth',
      'max_nodes',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.depth).toMatchObject({
      minimum: 1,
      maximum: 3,
      default: 1,
    });
    expect(tool.description).toContain('catalog_get_entity');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it('follows what an entity needs, one hop by default', async () => {
    const { tool } = setup();
    const result = await call(tool, { ref: 'checkout-service' });
    expect(result).toEqual({
      root: REFS.checkoutService,
      relation_types: ['dependsOn', 'consumesApi', 'apiProvidedBy'],
      nodes: [
        {
          ref: REFS.checkoutService,
          kind: 'Component',
          title: 'Checkout Service',
          type: 'service',
          owner: REFS.teamA,
          depth: 0,
        },
        {
          ref: REFS.paymentApi,
          kind: 'API',
          type: 'openapi',
          owner: REFS.teamB,
          depth: 1,
        },
        {
          ref: REFS.checkoutDb,
          kind: 'Resource',
          type: 'database',
          owner: REFS.teamA,
          depth: 1,
        },
        {
          ref: REFS.paymentService,
          kind: 'Component',
          type: 'service',
          owner: REFS.teamB,
          depth: 1,
        },
      ],
      edges: [
        {
          source: REFS.checkoutService,
          type: 'consumesApi',
          target: REFS.paymentApi,
        },
        {
          source: REFS.checkoutService,
          type: 'dependsOn',
          target: REFS.checkoutDb,
        },
        {
          source: REFS.checkoutService,
          type: 'dependsOn',
          target: REFS.paymentService,
        },
      ],
    });
  });

  it('makes exactly one batched catalog read per hop', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const result = await call(tool, { ref: REFS.checkoutService, depth: 2 });
    expect(nodeDepths(result)).toEqual({
      [REFS.checkoutService]: 0,
      [REFS.paymentApi]: 1,
      [REFS.checkoutDb]: 1,
      [REFS.paymentService]: 1,
      [REFS.paymentsDb]: 2,
    });
    // payment-api is provided by payment-service, already seen at hop 1.
    expect(result.edges).toContainEqual({
      source: REFS.paymentApi,
      type: 'apiProvidedBy',
      target: REFS.paymentService,
    });
    expect(result.nodes).toContainEqual({
      ref: REFS.paymentsDb,
      depth: 2,
      missing: true,
    });
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(2);
    expect(
      getEntitiesByRefs.mock.calls.map(([request]) => request.entityRefs),
    ).toEqual([
      [REFS.paymentApi, REFS.checkoutDb, REFS.paymentService],
      [REFS.paymentsDb],
    ]);
    for (const [request, options] of getEntitiesByRefs.mock.calls) {
      expect(request.fields).toEqual(expect.arrayContaining(['relations']));
      expect(options).toEqual(expect.objectContaining({ credentials }));
    }
  });

  it('stops early when a hop finds nothing new', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const result = await call(tool, { ref: REFS.checkoutDb, depth: 3 });
    expect(result.nodes).toEqual([
      expect.objectContaining({ ref: REFS.checkoutDb, depth: 0 }),
    ]);
    expect(result.edges).toEqual([]);
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it.each([
    [
      'the inverse of the default types',
      { ref: REFS.paymentService },
      ['dependencyOf', 'apiConsumedBy', 'providesApi'],
      [
        {
          source: REFS.paymentService,
          type: 'providesApi',
          target: REFS.paymentApi,
        },
        {
          source: REFS.paymentService,
          type: 'dependencyOf',
          target: REFS.checkoutService,
        },
      ],
    ],
    [
      'the inverse of given types',
      { ref: REFS.teamA, relation_types: ['ownedBy'] },
      ['ownerOf'],
      [
        REFS.checkoutSystem,
        REFS.checkoutService,
        REFS.checkoutApi,
        REFS.checkoutDb,
      ].map(target => ({
        source: REFS.teamA,
        type: 'ownerOf',
        target,
      })),
    ],
    [
      'an unknown type unchanged',
      { ref: REFS.checkoutService, relation_types: ['customRelation'] },
      ['customRelation'],
      [],
    ],
  ])('walks incoming relations with %s', async (_name, args, types, edges) => {
    const { tool } = setup();
    const result = await call(tool, { ...args, direction: 'incoming' });
    expect(result.relation_types).toEqual(types);
    expect(result.edges).toEqual(edges);
    expect(
      result.nodes.filter((n: any) => n.depth === 1).map((n: any) => n.ref),
    ).toEqual(edges.map(e => e.target));
  });

  it('answers "what needs payment-service" transitively with incoming relations', async () => {
    const { tool } = setup();
    const result = await call(tool, {
      ref: 'payment-service',
      direction: 'incoming',
      depth: 2,
    });
    expect(nodeDepths(result)).toEqual({
      [REFS.paymentService]: 0,
      [REFS.paymentApi]: 1,
      [REFS.checkoutService]: 1,
      // The checkout API is served by checkout-service, so it needs it too.
      [REFS.checkoutApi]: 2,
    });
  });

  it.each([
    ['outgoing', { relation_types: ['hasMember'] }, [REFS.alice, REFS.bob]],
    [
      'outgoing, several types',
      { relation_types: ['childOf', 'hasMember'] },
      [REFS.engineering, REFS.alice, REFS.bob],
    ],
  ])('follows given relation types (%s)', async (_name, args, expected) => {
    const { tool } = setup();
    const result = await call(tool, { ref: REFS.teamA, ...args });
    expect(result.nodes.slice(1).map((n: any) => n.ref)).toEqual(expected);
  });

  it('does not loop on cycles', async () => {
    const { tool, getEntitiesByRefs } = setup(RING);
    const result = await call(tool, { ref: 'ring-a', depth: 3 });
    expect(nodeDepths(result)).toEqual({
      'component:default/ring-a': 0,
      'component:default/ring-b': 1,
    });
    expect(result.edges).toEqual([
      {
        source: 'component:default/ring-a',
        type: 'dependsOn',
        target: 'component:default/ring-b',
      },
      {
        source: 'component:default/ring-b',
        type: 'dependsOn',
        target: 'component:default/ring-a',
      },
    ]);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(result.truncation_hint).toBeUndefined();
  });

  it.each([
    [1, [REFS.checkoutService]],
    [2, [REFS.checkoutService, REFS.paymentApi]],
    [3, [REFS.checkoutService, REFS.paymentApi, REFS.checkoutDb]],
  ])(
    'stops at max_nodes=%s with a truncation hint',
    async (maxNodes, expected) => {
      const { tool } = setup();
      const result = await call(tool, {
        ref: REFS.checkoutService,
        depth: 3,
        max_nodes: maxNodes,
      });
      expect(result.nodes.map((n: any) => n.ref)).toEqual(expected);
      expect(result.truncation_hint).toContain(`max_nodes=${maxNodes}`);
      // Edges only between listed nodes.
      const listed = new Set(expected);
      for (const edge of result.edges) {
        expect(listed.has(edge.target)).toBe(true);
      }
    },
  );

  it('does not report truncation when max_nodes is exactly reached', async () => {
    const { tool } = setup();
    const result = await call(tool, {
      ref: REFS.checkoutService,
      depth: 1,
      max_nodes: 4,
    });
    expect(result.nodes).toHaveLength(4);
    expect(result.truncation_hint).toBeUndefined();
  });

  it('answers not found for an unknown start, pointing to catalog_search', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const error = await call(tool, { ref: 'component:default/nope' }).catch(
      e => e,
    );
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toContain('component:default/nope');
    expect(error.message).toContain('catalog_search');
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it("passes the caller's credentials to every catalog call", async () => {
    const root = catalogEntities().find(
      e => e.metadata.name === 'checkout-service',
    )!;
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => root,
      getEntitiesByRefs: async ({ entityRefs }) => ({
        items: entityRefs.map(() => undefined),
      }),
    });
    const tool = createCatalogGetRelationsTool({ catalog });
    const result = await call(tool, { ref: REFS.checkoutService, depth: 3 });
    // Hidden entities are listed as missing, and not walked further.
    expect(result.nodes.filter((n: any) => n.missing)).toHaveLength(3);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ credentials }),
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.anything(),
      expect.objectContaining({ credentials }),
    );
  });

  it.each([
    ['depth 0', { ref: 'a', depth: 0 }, ['depth']],
    ['depth 4', { ref: 'a', depth: 4 }, ['depth']],
    ['an unknown direction', { ref: 'a', direction: 'both' }, ['direction']],
    [
      'an empty relation type list',
      { ref: 'a', relation_types: [] },
      ['relation_types'],
    ],
    [
      'an empty relation type',
      { ref: 'a', relation_types: [''] },
      ['relation_types', 0],
    ],
    ['max_nodes above 500', { ref: 'a', max_nodes: 501 }, ['max_nodes']],
    ['a missing ref', {}, ['ref']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { ref: 'a', types: ['dependsOn'] },
      'types',
    );
  });
});
