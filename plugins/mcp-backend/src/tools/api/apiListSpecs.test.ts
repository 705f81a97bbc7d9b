import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { z } from 'zod';
import { readMcpConfig } from '../../config';
import { McpTool } from '../types';
import { exampleCatalog } from './__testUtils__/exampleApis';
import { createApiListSpecsTool } from './apiListSpecs';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
} from '../../__testUtils__/toolTesting';

const config = readMcpConfig(new ConfigReader({}));

const ENTITIES = exampleCatalog();

function setup() {
  const catalog = catalogServiceMock({ entities: ENTITIES });
  const queryEntities = jest.spyOn(catalog, 'queryEntities');
  const tool = createApiListSpecsTool({ catalog, config });
  return { tool, queryEntities };
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, mockCredentials.user());

const refs = (result: { items: { ref: string }[] }) =>
  result.items.map(i => i.ref);

const ALL_APIS = [
  'api:default/cart-api',
  'api:default/checkout-api',
  'api:default/inventory-api',
  'api:default/inventory-grpc',
  'api:default/order-events',
  'api:default/payment-api',
  'api:default/payment-events',
  'api:default/pricing-grpc',
  'api:default/search-api',
  'api:default/storefront-graphql',
  'api:default/user-api',
];

describe('api_list_specs', () => {
  it('has a stable listed definition', () => {
    const { tool } = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property and is read-only', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'type',
      'owner',
      'system',
      'lifecycle',
      'limit',
      'cursor',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.name).toBe('api_list_specs');
    expect(tool.description).toContain('api_get_spec');
    expect(tool.annotations.readOnlyHint).toBe(true);
  });

  it.each([
    ['no filter: only API entities', {}, ALL_APIS],
    [
      'type',
      { type: 'openapi' },
      [
        'cart-api',
        'checkout-api',
        'inventory-api',
        'payment-api',
        'search-api',
        'user-api',
      ],
    ],
    [
      'a list of types',
      { type: ['grpc', 'graphql'] },
      ['inventory-grpc', 'pricing-grpc', 'storefront-graphql'],
    ],
    [
      'owner by name',
      { owner: 'payments-team' },
      ['payment-api', 'payment-events'],
    ],
    [
      'owner by ref',
      { owner: 'group:default/payments-team' },
      ['payment-api', 'payment-events'],
    ],
    [
      'system',
      { system: 'checkout' },
      [
        'cart-api',
        'checkout-api',
        'inventory-api',
        'inventory-grpc',
        'order-events',
        'pricing-grpc',
      ],
    ],
    ['lifecycle', { lifecycle: 'experimental' }, ['pricing-grpc']],
    [
      'filters combined',
      { type: 'openapi', system: 'system:default/checkout' },
      ['cart-api', 'checkout-api', 'inventory-api'],
    ],
    ['free text', { query: 'Kafka' }, ['order-events', 'payment-events']],
    [
      'free text and type',
      { query: 'payment', type: 'asyncapi' },
      ['payment-events'],
    ],
    ['nothing matches', { type: 'soap' }, []],
  ])('filters by %s', async (_name, args, expected) => {
    const { tool } = setup();
    const result = await call(tool, args);
    const expectedRefs = expected.map(name =>
      name.includes(':') ? name : `api:default/${name}`,
    );
    expect(refs(result)).toEqual(expectedRefs);
    expect(result.total_count).toBe(expectedRefs.length);
    expect(result.next_cursor).toBeUndefined();
    expect(result.truncation_hint).toBeUndefined();
  });

  it('summarizes each API with who provides it', async () => {
    const { tool } = setup();
    const result = await call(tool, { owner: 'payments-team' });
    expect(result.items).toEqual([
      {
        ref: 'api:default/payment-api',
        kind: 'API',
        name: 'payment-api',
        title: 'Payment API',
        description: expect.stringContaining('payment intents'),
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/payments-team',
        system: 'system:default/payments',
        tags: ['rest', 'pci'],
        provided_by: ['component:default/payment-service'],
      },
      expect.objectContaining({
        ref: 'api:default/payment-events',
        type: 'asyncapi',
        provided_by: ['component:default/payment-service'],
      }),
    ]);
    const storefront = await call(tool, { type: 'graphql' });
    expect(storefront.items[0].provided_by).toEqual([
      'component:default/storefront-bff',
    ]);
  });

  it('never loads API definitions from the catalog', async () => {
    const { tool, queryEntities } = setup();
    const result = await call(tool, {});
    expect(result.items).toHaveLength(ALL_APIS.length);
    expect(queryEntities).toHaveBeenCalledTimes(1);
    const [request] = queryEntities.mock.calls[0] as any[];
    expect(request.fields).toEqual(
      expect.arrayContaining(['relations', 'spec.type']),
    );
    expect(
      request.fields.some(
        (f: string) => f === 'spec' || f.startsWith('spec.definition'),
      ),
    ).toBe(false);
    const page = await queryEntities.mock.results[0].value;
    expect(page.items).toHaveLength(ALL_APIS.length);
    for (const entity of page.items) {
      expect(entity.spec?.definition).toBeUndefined();
    }
    expect(JSON.stringify(result)).not.toContain('openapi: 3.0.3');
  });

  it('pages with the catalog cursor until every API was seen once', async () => {
    const { tool } = setup();
    const seen: string[] = [];
    let page = await call(tool, { limit: 4 });
    expect(page.items).toHaveLength(4);
    expect(page.total_count).toBe(ALL_APIS.length);
    expect(page.truncation_hint).toContain('cursor=next_cursor');
    seen.push(...refs(page));
    while (page.next_cursor) {
      page = await call(tool, { cursor: page.next_cursor, limit: 4 });
      seen.push(...refs(page));
    }
    expect(seen).toEqual(ALL_APIS);
    expect(page.truncation_hint).toBeUndefined();
  });

  it.each([
    ['a limit below 1', { limit: 0 }],
    ['a limit above the maximum', { limit: config.results.maxPageSize + 1 }],
    ['an unknown argument', { kind: 'Component' }],
    ['an empty type list', { type: [] }],
  ])('rejects %s', (_name, args) => {
    const { tool } = setup();
    expect(() => tool.inputSchema.parse(args)).toThrow();
  });

  it('explains a malformed owner ref', async () => {
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
