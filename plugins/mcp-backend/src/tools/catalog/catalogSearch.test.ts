import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { catalogEntities, REFS } from '../../__testUtils__/entities';
import { readMcpConfig } from '../../config';
import { ENTITY_SUMMARY_FIELDS } from '../shared/entitySummary';
import { McpTool } from '../types';
import { createCatalogSearchTool } from './catalogSearch';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
  expectInputIssue,
  expectUnknownKeyRejected,
} from '../../__testUtils__/toolTesting';

const config = readMcpConfig(new ConfigReader({}));
const credentials = mockCredentials.user('user:default/alice');

function setup() {
  const catalog = catalogServiceMock({ entities: catalogEntities() });
  const queryEntities = jest.spyOn(catalog, 'queryEntities');
  const tool = createCatalogSearchTool({ catalog, config });
  return { tool, catalog, queryEntities };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

const refs = (result: { items: { ref: string }[] }) =>
  result.items.map(i => i.ref);

describe('catalog_search', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'kind',
      'type',
      'owner',
      'system',
      'lifecycle',
      'tags',
      'namespace',
      'filter',
      'fields',
      'limit',
      'cursor',
      'response_format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.limit).toMatchObject({
      default: config.results.defaultPageSize,
      maximum: config.results.maxPageSize,
    });
    expect(tool.description).toContain('catalog_get_entity');
    expect(tool.annotations).toMatchObject({
      readOnlyHint: true,
      destructiveHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it.each([
    ['a kind', { kind: 'API' }, [REFS.checkoutApi, REFS.paymentApi]],
    [
      'a list of kinds',
      { kind: ['System', 'Resource'] },
      [REFS.checkoutSystem, REFS.checkoutDb],
    ],
    [
      'an owner by name',
      { owner: 'team-b' },
      [REFS.paymentApi, REFS.paymentService],
    ],
    [
      'an owner by full ref',
      { owner: 'user:default/alice' },
      [REFS.aliceScripts],
    ],
    [
      'a system by name',
      { system: 'checkout' },
      [REFS.checkoutApi, REFS.checkoutService],
    ],
    ['a type', { type: 'database' }, [REFS.checkoutDb]],
    ['a lifecycle', { lifecycle: 'experimental' }, [REFS.aliceScripts]],
    ['a tag', { tags: 'java' }, [REFS.checkoutService]],
    [
      'an advanced field filter',
      { filter: { 'metadata.annotations.backstage.io/techdocs-ref': 'dir:.' } },
      [REFS.checkoutService],
    ],
    [
      'free text in a description',
      { query: 'orders' },
      [REFS.checkoutApi, REFS.checkoutService],
    ],
    [
      'free text in a name, case-insensitively',
      { query: 'PAYMENT' },
      [REFS.paymentApi, REFS.paymentService],
    ],
    [
      'free text and a kind',
      { query: 'payment', kind: 'API' },
      [REFS.paymentApi],
    ],
    [
      'a kind and an owner together',
      { kind: 'Component', owner: 'team-a' },
      [REFS.checkoutService],
    ],
    [
      'an owner and a system together',
      { owner: 'team-b', system: 'checkout' },
      [],
    ],
    ['nothing matching', { kind: 'Template' }, []],
  ])('finds entities by %s', async (_name, args, expected) => {
    const { tool } = setup();
    const result = await call(tool, args);
    expect(refs(result)).toEqual(expected);
    expect(result.total_count).toBe(expected.length);
    expect(result.next_cursor).toBeUndefined();
    expect(result.truncation_hint).toBeUndefined();
  });

  it('returns concise summaries with owner and system as full refs', async () => {
    const { tool } = setup();
    const result = await call(tool, { query: 'checkout-service' });
    expect(result.items).toEqual([
      {
        ref: REFS.checkoutService,
        kind: 'Component',
        name: 'checkout-service',
        title: 'Checkout Service',
        description: 'Takes orders from the storefront',
        type: 'service',
        lifecycle: 'production',
        owner: REFS.teamA,
        system: REFS.checkoutSystem,
        tags: ['java', 'checkout'],
      },
    ]);
  });

  // One value goes as a plain string, several as a list of alternatives.
  it.each([
    [
      'owner and system names',
      {
        kind: 'Component',
        owner: ['team-a', 'Group:Default/team-b'],
        system: 'checkout',
      },
      {
        kind: 'Component',
        'relations.ownedBy': [REFS.teamA, REFS.teamB],
        'relations.partOf': REFS.checkoutSystem,
      },
    ],
    [
      'a user owner ref and a namespaced system',
      { owner: ['user:alice'], system: 'ops/platform' },
      {
        'relations.ownedBy': REFS.alice,
        'relations.partOf': 'system:ops/platform',
      },
    ],
    [
      'the plain filters and an advanced one',
      {
        type: ['service', 'website'],
        lifecycle: ['production'],
        tags: 'java',
        namespace: 'default',
        filter: { 'spec.profile.email': 'x' },
      },
      {
        'spec.type': ['service', 'website'],
        'spec.lifecycle': 'production',
        'metadata.tags': 'java',
        'metadata.namespace': 'default',
        'spec.profile.email': 'x',
      },
    ],
    ['no filter at all', {}, undefined],
  ])(
    'passes %s to the catalog as a normalized filter',
    async (_name, args, filter) => {
      const catalog = catalogServiceMock.mock({
        queryEntities: jest.fn(async () => ({
          items: [],
          totalItems: 0,
          pageInfo: {},
        })),
      });
      const tool = createCatalogSearchTool({ catalog, config });
      await call(tool, args);
      expect(catalog.queryEntities).toHaveBeenCalledTimes(1);
      expect(catalog.queryEntities).toHaveBeenCalledWith(
        expect.objectContaining({ filter }),
        expect.objectContaining({ credentials }),
      );
    },
  );

  it('sends the text query as a full-text filter ordered by name', async () => {
    const catalog = catalogServiceMock.mock({
      queryEntities: jest.fn(async () => ({
        items: [],
        totalItems: 0,
        pageInfo: {},
      })),
    });
    const tool = createCatalogSearchTool({ catalog, config });
    await call(tool, { query: '  payment  ', limit: 5 });
    const [request, options] = catalog.queryEntities.mock.calls[0] as any[];
    expect(request).toMatchObject({
      fullTextFilter: {
        term: 'payment',
        fields: expect.arrayContaining([
          'metadata.name',
          'metadata.description',
        ]),
      },
      orderFields: [{ field: 'metadata.name', order: 'asc' }],
      limit: 5,
    });
    expect(options).toEqual({ credentials });
  });

  it.each([
    ['concise results', {}, ENTITY_SUMMARY_FIELDS],
    ['detailed results', { response_format: 'detailed' }, undefined],
    [
      'projected fields, plus what a ref needs',
      { fields: ['spec.owner', 'metadata.name'] },
      ['kind', 'metadata.name', 'metadata.namespace', 'spec.owner'],
    ],
  ])(
    'asks the catalog only for the fields of %s',
    async (_name, args, fields) => {
      const { tool, queryEntities } = setup();
      await call(tool, { kind: 'Component', ...args });
      const [request] = queryEntities.mock.calls[0] as any[];
      expect(request.fields).toEqual(fields);
    },
  );

  it('returns the whole entity in detailed mode and projections with fields', async () => {
    const { tool } = setup();
    const detailed = await call(tool, {
      query: 'checkout-api',
      response_format: 'detailed',
    });
    expect(refs(detailed)).toEqual([REFS.checkoutApi]);
    expect(detailed.items[0]).toMatchObject({
      owner: REFS.teamA,
      type: 'openapi',
    });
    expect(detailed.items[0].entity.spec.definition).toContain(
      'openapi: 3.0.3',
    );

    const projected = await call(tool, {
      kind: 'Component',
      fields: ['spec.lifecycle'],
    });
    expect(projected.items[0]).toEqual({
      ref: REFS.aliceScripts,
      kind: 'Component',
      name: 'alice-scripts',
      entity: {
        kind: 'Component',
        metadata: { name: 'alice-scripts', namespace: 'default' },
        spec: { lifecycle: 'experimental' },
      },
    });
  });

  it('pages with the catalog cursor, sending only the cursor on later pages', async () => {
    const { tool, queryEntities } = setup();
    const first = await call(tool, { kind: 'Component', limit: 2 });
    expect(refs(first)).toEqual([REFS.aliceScripts, REFS.checkoutService]);
    expect(first.total_count).toBe(3);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(first.truncation_hint).toContain('cursor=next_cursor');
    expect(first.truncation_hint).toContain('catalog_search');

    const second = await call(tool, { cursor: first.next_cursor, limit: 2 });
    expect(refs(second)).toEqual([REFS.paymentService]);
    expect(second.next_cursor).toBeUndefined();
    expect(second.truncation_hint).toBeUndefined();

    const [request] = queryEntities.mock.calls[1] as any[];
    expect(request).toEqual({
      cursor: first.next_cursor,
      limit: 2,
      fields: ENTITY_SUMMARY_FIELDS,
    });
  });

  it('ignores filters given together with a cursor', async () => {
    const { tool, queryEntities } = setup();
    const first = await call(tool, { kind: 'Component', limit: 1 });
    await call(tool, {
      cursor: first.next_cursor,
      kind: 'API',
      owner: 'team-b',
      query: 'x',
      limit: 1,
    });
    const [request] = queryEntities.mock.calls[1] as any[];
    expect(Object.keys(request).sort()).toEqual(['cursor', 'fields', 'limit']);
  });

  it.each([
    ['a limit below 1', { limit: 0 }, ['limit']],
    [
      'a limit above the maximum',
      { limit: config.results.maxPageSize + 1 },
      ['limit'],
    ],
    ['a fractional limit', { limit: 2.5 }, ['limit']],
    ['an empty kind list', { kind: [] }, ['kind']],
    ['an empty kind string', { kind: '' }, ['kind']],
    ['a too long query', { query: 'x'.repeat(201) }, ['query']],
    [
      'an unknown response format',
      { response_format: 'full' },
      ['response_format'],
    ],
    ['a too long cursor', { cursor: 'c'.repeat(2001) }, ['cursor']],
    ['a number as owner', { owner: 42 }, ['owner']],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { name: 'checkout' }, 'name');
  });

  it('explains a malformed owner ref without calling the catalog', async () => {
    const { tool, queryEntities } = setup();
    await expect(call(tool, { owner: 'group:default/' })).rejects.toMatchObject(
      {
        name: 'InputError',
        message: expect.stringContaining('kind:namespace/name'),
      },
    );
    expect(queryEntities).not.toHaveBeenCalled();
  });
});
