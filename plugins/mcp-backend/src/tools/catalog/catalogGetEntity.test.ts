import { mockCredentials } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import {
  catalogEntities,
  CHECKOUT_API_DEFINITION,
  makeEntity,
  REFS,
} from '../../__testUtils__/entities';
import { McpTool } from '../types';
import { createCatalogGetEntityTool } from './catalogGetEntity';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const credentials = mockCredentials.user('user:default/alice');

function setup(extraEntities: Entity[] = []) {
  const catalog = catalogServiceMock({
    entities: [...catalogEntities(), ...extraEntities],
  });
  const getEntitiesByRefs = jest.spyOn(catalog, 'getEntitiesByRefs');
  const tool = createCatalogGetEntityTool({ catalog });
  return { tool, catalog, getEntitiesByRefs };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

/** Two entities named "payments", neither of them a component. */
const AMBIGUOUS = [
  makeEntity({ kind: 'System', name: 'payments' }),
  makeEntity({ kind: 'Group', name: 'payments', spec: { type: 'team' } }),
];

describe('catalog_get_entity', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'max_related',
      'response_format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.required).toEqual(['ref']);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.description).toContain('api_get_spec');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it('returns the entity with its relations as refs, from one catalog read', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const result = await call(tool, { ref: REFS.checkoutService });
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
    expect(result).toEqual({
      entity: {
        ref: REFS.checkoutService,
        kind: 'Component',
        name: 'checkout-service',
        namespace: 'default',
        title: 'Checkout Service',
        description: 'Takes orders from the storefront',
        type: 'service',
        lifecycle: 'production',
        owner: REFS.teamA,
        system: REFS.checkoutSystem,
        tags: ['java', 'checkout'],
        // The catalog's bookkeeping annotations are left out when concise.
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        links: [{ url: 'https://checkout.example.com', title: 'Storefront' }],
        spec: expect.objectContaining({
          type: 'service',
          owner: 'team-a',
          system: 'checkout',
        }),
      },
      relations: {
        ownedBy: [{ ref: REFS.teamA }],
        partOf: [{ ref: REFS.checkoutSystem }],
        providesApi: [{ ref: REFS.checkoutApi }],
        consumesApi: [{ ref: REFS.paymentApi }],
        dependsOn: [{ ref: REFS.checkoutDb }, { ref: REFS.paymentService }],
      },
    });
  });

  it('resolves every relation into summaries when detailed', async () => {
    const { tool } = setup();
    const result = await call(tool, {
      ref: REFS.checkoutService,
      response_format: 'detailed',
    });
    expect(result.relations).toEqual({
      ownedBy: [
        {
          ref: REFS.teamA,
          kind: 'Group',
          type: 'team',
          description: 'Builds checkout',
        },
      ],
      partOf: [{ ref: REFS.checkoutSystem, kind: 'System', title: 'Checkout' }],
      providesApi: [
        {
          ref: REFS.checkoutApi,
          kind: 'API',
          type: 'openapi',
          description: 'Place and track orders',
        },
      ],
      consumesApi: [{ ref: REFS.paymentApi, kind: 'API', type: 'openapi' }],
      dependsOn: [
        { ref: REFS.checkoutDb, kind: 'Resource', type: 'database' },
        { ref: REFS.paymentService, kind: 'Component', type: 'service' },
      ],
    });
  });

  it.each([
    ['a full ref', REFS.checkoutService, REFS.checkoutService],
    [
      'a ref with capitalized kind and namespace',
      'Component:Default/checkout-service',
      REFS.checkoutService,
    ],
    ['a ref without namespace', 'api:checkout-api', REFS.checkoutApi],
    ['a bare component name', 'checkout-service', REFS.checkoutService],
    ['a bare name of another kind, when unambiguous', 'team-a', REFS.teamA],
    ['a bare name with surrounding spaces', '  alice  ', REFS.alice],
  ])('finds an entity by %s', async (_name, ref, expected) => {
    const { tool } = setup();
    const result = await call(tool, { ref });
    expect(result.entity.ref).toBe(expected);
  });

  it('resolves all relations with one batched catalog read when detailed', async () => {
    const { tool, getEntitiesByRefs } = setup();
    const result = await call(tool, {
      ref: REFS.teamA,
      response_format: 'detailed',
    });
    expect(Object.keys(result.relations)).toEqual([
      'childOf',
      'hasMember',
      'ownerOf',
    ]);
    expect(getEntitiesByRefs).toHaveBeenCalledTimes(1);
    const [request] = getEntitiesByRefs.mock.calls[0] as any[];
    expect(request.entityRefs).toEqual([
      REFS.engineering,
      REFS.alice,
      REFS.bob,
      REFS.checkoutSystem,
      REFS.checkoutService,
      REFS.checkoutApi,
      REFS.checkoutDb,
    ]);
    // Summaries only: a related API's definition never travels.
    expect(request.fields).toEqual(
      expect.arrayContaining(['kind', 'metadata.name', 'relations']),
    );
    expect(request.fields).not.toContain('spec');
  });

  it('marks related entities that do not resolve as missing when detailed', async () => {
    const { tool } = setup();
    const result = await call(tool, {
      ref: REFS.paymentService,
      response_format: 'detailed',
    });
    expect(result.relations.dependsOn).toEqual([
      { ref: REFS.paymentsDb, missing: true },
    ]);
    expect(result.relations.providesApi).toEqual([
      expect.objectContaining({ ref: REFS.paymentApi, kind: 'API' }),
    ]);
  });

  it("drops an API's definition and reports its size instead", async () => {
    const { tool } = setup();
    for (const response_format of ['concise', 'detailed']) {
      const result = await call(tool, {
        ref: REFS.checkoutApi,
        response_format,
      });
      expect(result.entity.spec).toEqual({
        type: 'openapi',
        lifecycle: 'production',
        owner: 'team-a',
        system: 'checkout',
      });
      expect(result.entity.definition_chars).toBe(
        CHECKOUT_API_DEFINITION.length,
      );
      expect(JSON.stringify(result)).not.toContain('/orders');
    }
  });

  it.each([
    [
      'concise',
      {
        annotations: { 'backstage.io/techdocs-ref': 'dir:.' },
        labels: undefined,
      },
    ],
    [
      'detailed',
      {
        annotations: expect.objectContaining({
          'backstage.io/managed-by-location': expect.any(String),
          'backstage.io/techdocs-ref': 'dir:.',
        }),
        labels: { tier: 'critical' },
      },
    ],
  ])(
    'shows annotations and labels in %s mode',
    async (response_format, expected) => {
      const { tool } = setup();
      const result = await call(tool, {
        ref: REFS.checkoutService,
        response_format,
      });
      expect(result.entity.annotations).toEqual(expected.annotations);
      expect(result.entity.labels).toEqual(expected.labels);
    },
  );

  it.each([
    ['under the limit', 4, 4, undefined],
    [
      'over the limit',
      2,
      2,
      expect.stringMatching(/2 related entities were left out.*max_related/),
    ],
  ])(
    'lists related entities per type %s',
    async (_name, maxRelated, shown, hint) => {
      const { tool } = setup();
      const result = await call(tool, {
        ref: REFS.teamA,
        max_related: maxRelated,
      });
      expect(result.relations.ownerOf).toHaveLength(shown);
      expect(result.relations.hasMember).toHaveLength(2);
      expect(result.truncation_hint).toEqual(hint);
    },
  );

  it('does not call the catalog for relations when there are none', async () => {
    const { tool, getEntitiesByRefs } = setup([
      makeEntity({ kind: 'Component', name: 'loner' }),
    ]);
    const result = await call(tool, { ref: 'loner' });
    expect(result.relations).toEqual({});
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it('asks which entity is meant when a bare name matches two kinds but not the default kind', async () => {
    const { tool, getEntitiesByRefs } = setup(AMBIGUOUS);
    const error = await call(tool, { ref: 'payments' }).catch(e => e);
    expect(error.name).toBe('InputError');
    expect(error.message).toContain('system:default/payments');
    expect(error.message).toContain('group:default/payments');
    expect(error.message).toContain('full refs');
    expect(getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it.each([
    [
      'the default kind wins an ambiguous bare name',
      'payments',
      'component:default/payments',
    ],
    [
      'a kind settles an ambiguous name',
      'group:payments',
      'group:default/payments',
    ],
  ])('resolves a shared name when %s', async (_name, ref, expected) => {
    const { tool } = setup([
      ...AMBIGUOUS,
      makeEntity({ kind: 'Component', name: 'payments' }),
    ]);
    const result = await call(tool, { ref });
    expect(result.entity.ref).toBe(expected);
  });

  it.each([
    ['a full ref', 'component:default/nope', 'component:default/nope'],
    ['a bare name', 'nope', 'component:default/nope'],
    [
      'a known name under the wrong kind',
      'api:default/checkout-service',
      'api:default/checkout-service',
    ],
  ])(
    'answers not found for %s, pointing to catalog_search',
    async (_name, ref, shown) => {
      const { tool } = setup();
      const error = await call(tool, { ref }).catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toContain(shown);
      expect(error.message).toContain('catalog_search');
    },
  );

  it('reads as the caller and reports an entity hidden from the caller as not found', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => undefined,
    });
    const tool = createCatalogGetEntityTool({ catalog });
    const error = await call(tool, { ref: REFS.checkoutService }).catch(e => e);
    expect(error.name).toBe('NotFoundError');
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      { kind: 'component', namespace: 'default', name: 'checkout-service' },
      expect.objectContaining({ credentials }),
    );
    expect(catalog.getEntitiesByRefs).not.toHaveBeenCalled();
  });

  it("passes the caller's credentials to every catalog call", async () => {
    const entity = catalogEntities().find(
      e => e.metadata.name === 'checkout-api',
    )!;
    const catalog = catalogServiceMock.mock({
      getEntities: async () => ({ items: [entity] }),
      getEntitiesByRefs: async ({ entityRefs }) => ({
        items: entityRefs.map(() => undefined),
      }),
    });
    const tool = createCatalogGetEntityTool({ catalog });
    const result = await call(tool, {
      ref: 'checkout-api',
      response_format: 'detailed',
    });
    expect(result.relations.ownedBy).toEqual([
      { ref: REFS.teamA, missing: true },
    ]);
    expect(catalog.getEntities).toHaveBeenCalledWith(
      expect.objectContaining({
        filter: {
          'metadata.name': 'checkout-api',
          'metadata.namespace': 'default',
        },
      }),
      expect.objectContaining({ credentials }),
    );
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledTimes(1);
    expect(catalog.getEntitiesByRefs).toHaveBeenCalledWith(
      expect.objectContaining({
        entityRefs: [REFS.teamA, REFS.checkoutSystem, REFS.checkoutService],
      }),
      expect.objectContaining({ credentials }),
    );
  });

  it.each([
    ['an empty ref', { ref: '' }, ['ref']],
    ['a missing ref', {}, ['ref']],
    ['a too long ref', { ref: 'x'.repeat(501) }, ['ref']],
    ['max_related of 0', { ref: 'a', max_related: 0 }, ['max_related']],
    ['max_related above 200', { ref: 'a', max_related: 201 }, ['max_related']],
    [
      'an unknown response format',
      { ref: 'a', response_format: 'yaml' },
      ['response_format'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(
      setup().tool,
      { ref: 'a', entityRef: 'b' },
      'entityRef',
    );
  });

  it.each(['component:default/', 'component:'])(
    'explains the ref format for the malformed ref %p',
    async ref => {
      const { tool } = setup();
      await expect(call(tool, { ref })).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining('kind:namespace/name'),
      });
    },
  );
});
