import { mockCredentials } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { parse } from 'yaml';
import { z } from 'zod';
import { readMcpConfig } from '../../config';
import { McpTool } from '../types';
import {
  apiEntity,
  exampleCatalog,
  readExampleDefinition,
} from './__testUtils__/exampleApis';
import { createApiGetSpecTool } from './apiGetSpec';

/** The largest max_chars with the default result size budget. */
const MAX_SPEC_CHARS = 48_000;
import { MAX_OUTLINE_LINES } from './outline';
import {
  listedDefinition,
  expectEveryPropertyDescribed,
  callTool,
} from '../../__testUtils__/toolTesting';

const config = readMcpConfig(new ConfigReader({}));
const PAYMENT_API = readExampleDefinition('payment-api');

const manyPaths = Object.fromEntries(
  Array.from({ length: 250 }, (_, i) => [
    `/items${i}`,
    { get: { summary: `Get item ${i}` } },
  ]),
);

const ENTITIES = [
  ...exampleCatalog(),
  apiEntity('broken-api', 'openapi', 'openapi: 3.0.0\npaths: [unclosed\n'),
  apiEntity('json-api', 'openapi', JSON.stringify(parse(PAYMENT_API))),
  apiEntity(
    'big-api',
    'openapi',
    JSON.stringify({ openapi: '3.0.0', paths: manyPaths }),
  ),
  apiEntity('unresolved-api', 'openapi', { $text: './missing.yaml' }),
];

function setup() {
  return createApiGetSpecTool({
    catalog: catalogServiceMock({ entities: ENTITIES }),
    config,
  });
}

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, mockCredentials.user());

/** Reads a definition to the end through next_offset, as an agent would. */
async function readAll(tool: McpTool, args: Record<string, unknown>) {
  const pieces: any[] = [];
  let offset: number | undefined = 0;
  while (offset !== undefined) {
    const piece = await call(tool, { ...args, offset });
    pieces.push(piece);
    offset = piece.next_offset;
  }
  return { pieces, text: pieces.map(p => p.definition).join('') };
}

describe('api_get_spec', () => {
  it('has a stable listed definition', () => {
    const tool = setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, with the configured budget', () => {
    const tool = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'paths',
      'operations',
      'channels',
      'max_chars',
      'offset',
      'format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.required).toEqual(['ref']);
    expect(schema.properties.max_chars).toMatchObject({
      default: config.results.defaultSpecChars,
      maximum: MAX_SPEC_CHARS,
    });
    expect(tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
  });

  describe('without a selection', () => {
    it('returns the definition as stored, with an outline to select from', async () => {
      const tool = setup();
      expect(PAYMENT_API.length).toBeLessThan(config.results.defaultSpecChars);
      const result = await call(tool, { ref: 'api:default/payment-api' });
      expect(result).toEqual({
        ref: 'api:default/payment-api',
        type: 'openapi',
        lifecycle: 'production',
        owner: 'group:default/payments-team',
        format: 'original',
        definition: PAYMENT_API,
        total_chars: PAYMENT_API.length,
        offset: 0,
        truncated: false,
        outline: expect.arrayContaining([
          'POST /refunds — Refund a captured payment',
          'GET /payment-intents/{paymentIntentId} — Get a payment intent',
        ]),
      });
      expect(result.outline).toHaveLength(9);
    });

    it.each([
      'payment-api',
      'api:payment-api',
      'API:default/payment-api',
      ' default/payment-api ',
    ])('finds the API by "%s"', async ref => {
      const result = await call(setup(), { ref });
      expect(result.ref).toBe('api:default/payment-api');
      expect(result.definition).toBe(PAYMENT_API);
    });

    it('reads a long definition in two calls that join to the exact text', async () => {
      const tool = setup();
      const first = await call(tool, { ref: 'payment-api', max_chars: 10000 });
      expect(first).toMatchObject({
        offset: 0,
        next_offset: 10000,
        truncated: true,
      });
      expect(first.definition).toBe(PAYMENT_API.slice(0, 10000));
      expect(first.truncation_hint).toContain('offset=10000');
      expect(first.truncation_hint).toContain('operations');
      const second = await call(tool, {
        ref: 'payment-api',
        max_chars: 10000,
        offset: first.next_offset,
      });
      expect(second).toMatchObject({
        offset: 10000,
        truncated: false,
        total_chars: PAYMENT_API.length,
      });
      expect(second.next_offset).toBeUndefined();
      expect(second.truncation_hint).toBeUndefined();
      expect(first.definition + second.definition).toBe(PAYMENT_API);
    });

    it.each([100, 1234, 5000, 17000])(
      'keeps to a budget of %i characters',
      async maxChars => {
        const { pieces, text } = await readAll(setup(), {
          ref: 'payment-api',
          max_chars: maxChars,
        });
        expect(pieces.length).toBe(Math.ceil(PAYMENT_API.length / maxChars));
        for (const piece of pieces)
          expect(piece.definition.length).toBeLessThanOrEqual(maxChars);
        expect(text).toBe(PAYMENT_API);
      },
    );

    it('outlines an AsyncAPI definition', async () => {
      const result = await call(setup(), { ref: 'order-events' });
      expect(result.definition).toBe(readExampleDefinition('order-events'));
      expect(result.outline).toEqual([
        'commerce.orders.v1 — subscribe: OrderPlaced, OrderPaid, OrderCancelled, OrderShipped',
      ]);
    });

    it.each([
      [
        'storefront-graphql',
        'type Query — product, category, searchProducts, cart, me',
      ],
      [
        'pricing-grpc',
        '  rpc PriceBasket(PriceBasketRequest) returns (PricedBasket)',
      ],
    ])('outlines %s and offers no selection for it', async (ref, line) => {
      const text = readExampleDefinition(ref);
      const first = await call(setup(), { ref, max_chars: 1000 });
      expect(first.definition).toBe(text.slice(0, 1000));
      expect(first.outline).toContain(line);
      expect(first.truncation_hint).toContain('offset=1000');
      expect(first.truncation_hint).not.toMatch(/paths|channels/);
    });

    it('caps the outline of a definition with many operations', async () => {
      const result = await call(setup(), { ref: 'big-api' });
      expect(result.outline).toHaveLength(MAX_OUTLINE_LINES + 1);
      expect(result.outline[0]).toBe('GET /items0 — Get item 0');
      expect(result.outline[MAX_OUTLINE_LINES]).toMatch(
        /^… 50 more entries left out.*paths/,
      );
    });

    it('still serves a definition that does not parse, without an outline', async () => {
      const result = await call(setup(), { ref: 'broken-api' });
      expect(result.definition).toBe('openapi: 3.0.0\npaths: [unclosed\n');
      expect(result.outline).toBeUndefined();
    });

    it.each([
      ['json', 'payment-api', (text: string) => JSON.parse(text)],
      ['yaml', 'json-api', (text: string) => parse(text)],
    ])('converts to %s on request', async (format, ref, read) => {
      const result = await call(setup(), {
        ref,
        format,
        max_chars: MAX_SPEC_CHARS,
      });
      expect(result.truncated).toBe(false);
      expect(result.format).toBe(format);
      expect(result.definition).not.toBe(PAYMENT_API);
      expect(read(result.definition)).toEqual(parse(PAYMENT_API));
    });
  });

  describe('with a selection', () => {
    it('keeps the paths under a prefix and only the components they reference', async () => {
      const result = await call(setup(), {
        ref: 'payment-api',
        paths: ['/refunds'],
      });
      expect(result).toMatchObject({
        format: 'yaml',
        selection: { paths: ['/refunds', '/refunds/{refundId}'] },
        truncated: false,
        offset: 0,
      });
      expect(result.outline).toBeUndefined();
      const document = parse(result.definition);
      expect(Object.keys(document.paths)).toEqual([
        '/refunds',
        '/refunds/{refundId}',
      ]);
      expect(document.info.title).toBe('Acme Retail Payment API');
      expect(document.servers).toHaveLength(2);
      expect(document.components.schemas.Refund).toBeDefined();
      expect(document.components.schemas.CurrencyCode).toBeDefined();
      expect(document.components.schemas.PaymentIntent).toBeUndefined();
      expect(document.components.parameters.PaymentIntentId).toBeUndefined();
      expect(result.definition.length).toBeLessThan(PAYMENT_API.length / 2);
    });

    it('keeps single operations, by "METHOD /path" or operationId', async () => {
      const result = await call(setup(), {
        ref: 'payment-api',
        operations: [
          'getRefund',
          'POST /payment-intents/{paymentIntentId}/capture',
        ],
      });
      expect(result.selection).toEqual({
        operations: [
          'POST /payment-intents/{paymentIntentId}/capture',
          'GET /refunds/{refundId}',
        ],
      });
      const document = parse(result.definition);
      expect(Object.keys(document.paths['/refunds/{refundId}'])).toEqual([
        'get',
      ]);
      expect(Object.keys(document.components.schemas)).toEqual(
        expect.arrayContaining([
          'Refund',
          'CapturePaymentIntentRequest',
          'PaymentIntent',
          'Money',
        ]),
      );
      expect(document.components.schemas.CreateRefundRequest).toBeUndefined();
      expect(document.components.schemas.PaymentMethod).toBeUndefined();
    });

    it('keeps AsyncAPI channels by prefix with their messages', async () => {
      const result = await call(setup(), {
        ref: 'payment-events',
        channels: ['payments.intents'],
      });
      expect(result.selection).toEqual({ channels: ['payments.intents.v2'] });
      const document = parse(result.definition);
      expect(Object.keys(document.channels)).toEqual(['payments.intents.v2']);
      expect(Object.keys(document.components.messages)).toEqual([
        'PaymentAuthorized',
        'PaymentCaptured',
        'PaymentFailed',
      ]);
      expect(Object.keys(document.components.schemas)).toEqual([
        'Money',
        'PaymentIntentEvent',
      ]);
    });

    it('reports selectors that matched nothing next to what did', async () => {
      const result = await call(setup(), {
        ref: 'payment-api',
        paths: ['/refunds', '/orders'],
      });
      expect(result.selection.unmatched).toEqual(['/orders']);
    });

    it('serves a selection as JSON on request', async () => {
      const result = await call(setup(), {
        ref: 'payment-api',
        operations: ['getRefund'],
        format: 'json',
      });
      expect(result.format).toBe('json');
      expect(Object.keys(JSON.parse(result.definition).paths)).toEqual([
        '/refunds/{refundId}',
      ]);
    });

    it('reads a long selection in pieces that join to the same text', async () => {
      const tool = setup();
      const args = { ref: 'payment-api', paths: ['/payment-intents'] };
      const whole = await call(tool, { ...args, max_chars: MAX_SPEC_CHARS });
      expect(whole.truncated).toBe(false);
      const { pieces, text } = await readAll(tool, {
        ...args,
        max_chars: 2000,
      });
      expect(pieces.length).toBe(Math.ceil(whole.total_chars / 2000));
      expect(pieces[0].truncation_hint).toContain('offset=2000');
      expect(pieces[0].truncation_hint).not.toContain('To read only part');
      expect(text).toBe(whole.definition);
    });
  });

  it.each([
    [
      'an unknown API',
      { ref: 'api:default/nope' },
      'NotFoundError',
      /No entity api:default\/nope.*catalog_search/,
    ],
    [
      'a component ref',
      { ref: 'component:default/payment-service' },
      'InputError',
      /is a Component, not an API.*catalog_get_entity.*providesApi/,
    ],
    [
      'a component name',
      { ref: 'payment-service' },
      'InputError',
      /component:default\/payment-service is a Component, not an API/,
    ],
    [
      'a malformed ref',
      { ref: 'api:' },
      'InputError',
      /is not an entity reference/,
    ],
    [
      'an API without definition text',
      { ref: 'unresolved-api' },
      'NotFoundError',
      /has no definition text/,
    ],
    [
      'paths on GraphQL',
      { ref: 'storefront-graphql', paths: ['/x'] },
      'InputError',
      /OpenAPI and AsyncAPI definitions only; api:default\/storefront-graphql is a "graphql" API/,
    ],
    [
      'channels on gRPC',
      { ref: 'pricing-grpc', channels: ['x'] },
      'InputError',
      /OpenAPI and AsyncAPI definitions only/,
    ],
    [
      'channels on OpenAPI',
      { ref: 'payment-api', channels: ['x'] },
      'InputError',
      /channels selects AsyncAPI channels.*paths/,
    ],
    [
      'operations on AsyncAPI',
      { ref: 'order-events', operations: ['x'] },
      'InputError',
      /paths and operations select OpenAPI parts.*channels/,
    ],
    [
      'a selection that matches nothing',
      { ref: 'payment-api', paths: ['/orders'] },
      'InputError',
      /Available paths \(8\): \/payment-intents/,
    ],
    [
      'a channel that matches nothing',
      { ref: 'order-events', channels: ['payments'] },
      'InputError',
      /Available channels \(1\): commerce\.orders\.v1/,
    ],
    [
      'a selection of a definition that does not parse',
      { ref: 'broken-api', paths: ['/x'] },
      'InputError',
      /not valid YAML or JSON.*without paths, operations, channels and format/,
    ],
    [
      'a conversion of gRPC',
      { ref: 'pricing-grpc', format: 'json' },
      'InputError',
      /format "json" converts OpenAPI and AsyncAPI definitions only/,
    ],
    [
      'an offset past the end',
      { ref: 'payment-api', offset: PAYMENT_API.length + 1 },
      'InputError',
      /past the end/,
    ],
  ])(
    'answers %s with an actionable error',
    async (_name, args, name, message) => {
      await expect(call(setup(), args)).rejects.toMatchObject({
        name,
        message: expect.stringMatching(message),
      });
    },
  );

  it.each([
    ['no ref', {}],
    ['a budget below 100', { ref: 'payment-api', max_chars: 99 }],
    [
      'a budget above the maximum',
      { ref: 'payment-api', max_chars: MAX_SPEC_CHARS + 1 },
    ],
    ['a negative offset', { ref: 'payment-api', offset: -1 }],
    ['an empty selection', { ref: 'payment-api', paths: [] }],
    ['an unknown format', { ref: 'payment-api', format: 'xml' }],
    ['an unknown argument', { ref: 'payment-api', detail: true }],
  ])('rejects %s before calling the catalog', (_name, args) => {
    expect(() => setup().inputSchema.parse(args)).toThrow();
  });
});
