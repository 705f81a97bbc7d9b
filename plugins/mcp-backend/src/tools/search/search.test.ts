import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { z } from 'zod';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { readMcpConfig } from '../../config';
import { classifyToolError } from '../../mcp/errorBoundary';
import { McpTool } from '../types';
import {
  FakeSearchBackend,
  startFakeSearchBackend,
} from './__testUtils__/fakeSearchBackend';
import {
  catalogResult,
  resultSet,
  techdocsResult,
} from './__testUtils__/searchResults';
import { createSearchTool } from './search';
import { createSearchClient } from './searchClient';

const PORTAL = 'https://portal.example.com';
const config = readMcpConfig(new ConfigReader({ app: { baseUrl: PORTAL } }));
const alice = mockCredentials.user('user:default/alice');

let fake: FakeSearchBackend;
beforeAll(async () => {
  fake = await startFakeSearchBackend();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.received.length = 0;
  fake.answerWith(() => ({ status: 200, body: resultSet([]) }));
});

function setup(options: { config?: typeof config } = {}) {
  const auth = mockServices.auth();
  const getPluginRequestToken = jest.spyOn(auth, 'getPluginRequestToken');
  const search = createSearchClient({ discovery: fake.discovery, auth });
  const tool = createSearchTool({ search, config: options.config ?? config });
  return { tool, getPluginRequestToken };
}

const call = (
  tool: McpTool,
  args: Record<string, unknown>,
  credentials: BackstageCredentials = alice,
) => callTool(tool, args, credentials);

describe('search', () => {
  it('has a stable listed definition', () => {
    expect(listedDefinition(setup().tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys and only reads', () => {
    const { tool } = setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'query',
      'types',
      'kind',
      'owner',
      'entity',
      'limit',
      'cursor',
      'response_format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.required).toEqual(['query']);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.toolset).toBe('search');
    expect(tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
    expect(tool.description).toContain('catalog_get_entity {"ref"');
    expect(tool.description).toContain(
      'techdocs_get_page {"ref": "<ref>", "path": "<path>"}',
    );
  });

  // What the search backend's router sees after Express parsed the query string.
  it.each([
    [
      'a query alone',
      { query: 'payment' },
      { term: 'payment', pageLimit: '20' },
    ],
    [
      'a trimmed query, two types and a page size',
      {
        query: '  payment refunds ',
        types: ['software-catalog', 'techdocs'],
        limit: 5,
      },
      {
        term: 'payment refunds',
        types: ['software-catalog', 'techdocs'],
        pageLimit: '5',
      },
    ],
    [
      'a kind',
      { query: 'payment', kind: 'API' },
      { term: 'payment', filters: { kind: 'API' }, pageLimit: '20' },
    ],
    [
      'an owner by name',
      { query: 'payment', owner: 'payments-team' },
      { term: 'payment', filters: { owner: 'payments-team' }, pageLimit: '20' },
    ],
    [
      'an owner by full ref, sent by name as the collators index it',
      {
        query: 'payment',
        owner: 'group:default/payments-team',
        types: ['software-catalog'],
      },
      {
        term: 'payment',
        types: ['software-catalog'],
        filters: { owner: 'payments-team' },
        pageLimit: '20',
      },
    ],
    [
      'one type as a string',
      { query: 'payment', types: 'techdocs' },
      { term: 'payment', types: ['techdocs'], pageLimit: '20' },
    ],
    [
      'an entity, as the TechDocs triplet in lower case',
      { query: 'refunds', entity: 'Component:Default/Payment-Service' },
      {
        term: 'refunds',
        types: ['techdocs'],
        filters: {
          namespace: 'default',
          kind: 'component',
          name: 'payment-service',
        },
        pageLimit: '20',
      },
    ],
    [
      'an entity by name, an owner and explicit types',
      {
        query: 'refunds',
        entity: 'payment-service',
        owner: 'payments-team',
        types: ['techdocs'],
      },
      {
        term: 'refunds',
        types: ['techdocs'],
        filters: {
          owner: 'payments-team',
          namespace: 'default',
          kind: 'component',
          name: 'payment-service',
        },
        pageLimit: '20',
      },
    ],
  ])('sends %s to the search backend', async (_name, args, query) => {
    const { tool } = setup();
    await call(tool, args);
    expect(fake.received.map(r => r.query)).toEqual([query]);
  });

  it.each([
    ['a user', alice],
    ['a service', mockCredentials.service('static-agent')],
  ])(
    'searches with a token made on behalf of %s, for the search plugin',
    async (_name, credentials) => {
      const { tool, getPluginRequestToken } = setup();
      await call(tool, { query: 'payment' }, credentials);
      expect(getPluginRequestToken).toHaveBeenCalledTimes(1);
      expect(getPluginRequestToken).toHaveBeenCalledWith({
        onBehalfOf: credentials,
        targetPluginId: 'search',
      });
      expect(fake.received[0].authorization).toBe(
        mockCredentials.service.header({
          onBehalfOf: credentials,
          targetPluginId: 'search',
        }),
      );
    },
  );

  it('turns catalog and TechDocs results into concise hits with refs, portal links and clean excerpts', async () => {
    fake.answerWith(() => ({
      status: 200,
      body: resultSet([catalogResult, techdocsResult], { numberOfResults: 2 }),
    }));
    const result = await call(setup().tool, { query: 'payment' });
    expect(result).toEqual({
      items: [
        {
          type: 'software-catalog',
          title: 'Payment Service',
          ref: 'component:default/payment-service',
          location: `${PORTAL}/catalog/default/component/payment-service`,
          excerpt:
            'Orchestrates payment intents across Adyen, Stripe and PayPal.',
          rank: 1,
        },
        {
          type: 'techdocs',
          title: 'Refunds & retries',
          ref: 'component:default/payment-service',
          path: 'refunds/',
          anchor: 'retries',
          location: `${PORTAL}/docs/default/component/payment-service/refunds/#retries`,
          excerpt: 'Refunds are retried three times, then parked.',
          rank: 2,
        },
      ],
      total_count: 2,
    });
  });

  it('returns the indexed document in detailed mode, with long text cut', async () => {
    const longText = 'word '.repeat(1000);
    fake.answerWith(() => ({
      status: 200,
      body: resultSet([
        {
          ...techdocsResult,
          document: { ...techdocsResult.document, text: longText },
        },
      ]),
    }));
    const result = await call(setup().tool, {
      query: 'word',
      response_format: 'detailed',
    });
    const { document } = result.items[0];
    expect(document).toMatchObject({
      name: 'payment-service',
      path: 'refunds/#retries',
    });
    expect(document.text).toHaveLength(2001);
    expect(longText.startsWith(document.text.slice(0, -1))).toBe(true);
    expect(result.items[0].excerpt.length).toBeLessThanOrEqual(301);
  });

  it.each([
    [
      'no app.baseUrl: locations as indexed',
      {},
      '/catalog/default/component/payment-service',
      '/catalog/default/component/payment-service',
      'component:default/payment-service',
    ],
    [
      'a custom catalog location template and an app under a path',
      {
        app: { baseUrl: `${PORTAL}/backstage/` },
        search: {
          collators: {
            catalog: { locationTemplate: '/entities/:kind/:namespace/:name' },
          },
        },
      },
      '/entities/component/default/payment-service',
      `${PORTAL}/backstage/entities/component/default/payment-service`,
      'component:default/payment-service',
    ],
    [
      'a template the location does not match: no ref',
      { search: { collators: { catalog: { locationTemplate: '/x/:name' } } } },
      '/catalog/default/component/payment-service',
      '/catalog/default/component/payment-service',
      undefined,
    ],
  ])(
    'reads catalog hits with %s',
    async (_name, rootConfig, indexed, location, ref) => {
      fake.answerWith(() => ({
        status: 200,
        body: resultSet([
          {
            ...catalogResult,
            document: { ...catalogResult.document, location: indexed },
          },
        ]),
      }));
      const { tool } = setup({
        config: readMcpConfig(new ConfigReader(rootConfig)),
      });
      const [hit] = (await call(tool, { query: 'payment' })).items;
      expect(hit.location).toBe(location);
      expect(hit.ref).toBe(ref);
    },
  );

  it('pages with an opaque cursor that carries the whole first request', async () => {
    fake.answerWith(({ query }) =>
      query.pageCursor
        ? {
            status: 200,
            body: resultSet([techdocsResult], { numberOfResults: 2 }),
          }
        : {
            status: 200,
            body: resultSet([catalogResult], {
              numberOfResults: 2,
              nextPageCursor: 'MQ==',
            }),
          },
    );
    const { tool } = setup();
    const first = await call(tool, {
      query: 'payment',
      kind: 'Component',
      types: ['software-catalog', 'techdocs'],
      limit: 1,
    });
    expect(first.items.map((i: any) => i.rank)).toEqual([1]);
    expect(first.total_count).toBe(2);
    expect(first.next_cursor).toEqual(expect.any(String));
    expect(first.next_cursor).not.toContain('MQ==');
    expect(first.truncation_hint).toContain('Call search again');

    // Arguments next to a cursor are ignored: the cursor's request holds.
    const second = await call(tool, {
      query: 'other',
      kind: 'API',
      limit: 50,
      cursor: first.next_cursor,
    });
    expect(second.items.map((i: any) => i.rank)).toEqual([2]);
    expect(second.next_cursor).toBeUndefined();
    expect(second.truncation_hint).toBeUndefined();

    expect(fake.received.map(r => r.query)).toEqual([
      {
        term: 'payment',
        types: ['software-catalog', 'techdocs'],
        filters: { kind: 'Component' },
        pageLimit: '1',
      },
      {
        term: 'payment',
        types: ['software-catalog', 'techdocs'],
        filters: { kind: 'Component' },
        pageLimit: '1',
        pageCursor: 'MQ==',
      },
    ]);
  });

  it('gives the largest request a cursor the tool takes back', async () => {
    fake.answerWith(() => ({
      status: 200,
      body: resultSet([], { nextPageCursor: 'OTk5' }),
    }));
    const roomy = readMcpConfig(
      new ConfigReader({ search: { maxTermLength: 1000 } }),
    );
    const { tool } = setup({ config: roomy });
    const first = await call(tool, {
      query: 'q'.repeat(1000),
      types: Array.from({ length: 5 }, (_, i) => `${i}`.repeat(50)),
      owner: 'o'.repeat(200),
      entity: `component:${'n'.repeat(100)}/${'e'.repeat(180)}`,
    });
    expect(
      tool.inputSchema.safeParse({ query: 'q', cursor: first.next_cursor })
        .success,
    ).toBe(true);
  });

  it('leaves total_count out when the search backend cannot count (permission-filtered pages)', async () => {
    fake.answerWith(() => ({
      status: 200,
      body: resultSet([catalogResult], { nextPageCursor: 'MQ==' }),
    }));
    const result = await call(setup().tool, { query: 'payment' });
    expect(result.total_count).toBeUndefined();
    expect(result.truncation_hint).toMatch(/^Showing 1 results\./);
  });

  it.each([
    ['a forged cursor', 'not-a-cursor'],
    [
      'a cursor of another version',
      Buffer.from(JSON.stringify({ v: 2, request: {} })).toString('base64url'),
    ],
    [
      'an offset cursor of another tool',
      Buffer.from(JSON.stringify({ v: 1, offset: 20 })).toString('base64url'),
    ],
  ])('refuses %s without calling the search backend', async (_name, cursor) => {
    await expect(
      call(setup().tool, { query: 'payment', cursor }),
    ).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining('next_cursor'),
    });
    expect(fake.received).toEqual([]);
  });

  it.each([
    ['an empty query', { query: '' }, ['query']],
    [
      'a query longer than the search backend takes',
      { query: 'x'.repeat(101) },
      ['query'],
    ],
    ['a query that is not text', { query: 42 }, ['query']],
    ['no query', { kind: 'API' }, ['query']],
    ['an empty type list', { query: 'x', types: [] }, ['types']],
    ['a type that is not text', { query: 'x', types: [42] }, ['types']],
    [
      'too many types',
      { query: 'x', types: ['a', 'b', 'c', 'd', 'e', 'f'] },
      ['types'],
    ],
    ['a list of kinds', { query: 'x', kind: ['API', 'Component'] }, ['kind']],
    ['a page size of 0', { query: 'x', limit: 0 }, ['limit']],
    [
      'a page size above the maximum',
      { query: 'x', limit: config.results.maxPageSize + 1 },
      ['limit'],
    ],
    [
      'an unknown response format',
      { query: 'x', response_format: 'full' },
      ['response_format'],
    ],
  ])('rejects %s with a field-level issue', (_name, args, path) => {
    expectInputIssue(setup().tool, args, path);
  });

  it('follows search.maxTermLength for the longest query', () => {
    const roomy = readMcpConfig(
      new ConfigReader({ search: { maxTermLength: 150 } }),
    );
    const { tool } = setup({ config: roomy });
    expect(tool.inputSchema.safeParse({ query: 'x'.repeat(150) }).success).toBe(
      true,
    );
    expectInputIssue(tool, { query: 'x'.repeat(151) }, ['query']);
  });

  it('rejects an unknown argument by name', () => {
    expectUnknownKeyRejected(setup().tool, { query: 'x', term: 'x' }, 'term');
  });

  it.each([
    ['a blank query', { query: '   ' }, /query is empty/],
    [
      'an entity next to a kind',
      { query: 'x', entity: 'payment-service', kind: 'API' },
      /kind or entity/,
    ],
    [
      'an entity with the catalog type',
      { query: 'x', entity: 'payment-service', types: ['software-catalog'] },
      /catalog_get_entity/,
    ],
    [
      'a malformed entity ref',
      { query: 'x', entity: 'component:default/' },
      /kind:namespace\/name/,
    ],
    [
      'a malformed owner ref',
      { query: 'x', owner: 'group:' },
      /kind:namespace\/name/,
    ],
  ])(
    'explains %s without calling the search backend',
    async (_name, args, message) => {
      await expect(call(setup().tool, args)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringMatching(message),
      });
      expect(fake.received).toEqual([]);
    },
  );

  // The plugin's error boundary turns the thrown errors into tool results.
  it.each([
    [
      400,
      {
        error: {
          name: 'InputError',
          message: 'Invalid query string: [\n  { "path": ["types", 0] }\n]',
        },
      },
      'InputError',
      'caller-error',
      'Invalid input: The search backend refused the query: Invalid query string: [ { "path": ["types", 0] } ]',
    ],
    [
      401,
      {
        error: { name: 'AuthenticationError', message: 'Missing credentials' },
      },
      'NotAllowedError',
      'caller-error',
      'Not allowed: The search backend did not let you search: Missing credentials',
    ],
    [
      403,
      { error: { name: 'NotAllowedError', message: 'Forbidden' } },
      'NotAllowedError',
      'caller-error',
      'Not allowed: The search backend did not let you search: Forbidden',
    ],
    [
      500,
      {
        error: {
          name: 'MissingIndexError',
          message: 'Missing index for techdocs.',
        },
      },
      'ServiceUnavailableError',
      'caller-error',
      'Service unavailable: Missing index for techdocs. Retry later, or search without types',
    ],
    [
      500,
      {
        error: {
          name: 'Error',
          message: 'There was a problem performing the search query',
        },
      },
      'Error',
      'internal-error',
      expect.stringMatching(/failed unexpectedly \(reference ref-1\)/),
    ],
    [
      404,
      'Not Found',
      'Error',
      'internal-error',
      expect.stringMatching(/failed unexpectedly/),
    ],
  ])(
    'maps an upstream %i to %s',
    async (status, body, errorName, kind, message) => {
      fake.answerWith(() => ({ status, body }));
      const error = await call(setup().tool, { query: 'payment' }).catch(
        e => e,
      );
      expect(error.name).toBe(errorName);
      const failure = classifyToolError(error, {
        logger: mockServices.logger.mock(),
        toolName: 'search',
        reference: 'ref-1',
      });
      expect(failure.kind).toBe(kind);
      expect(failure.message).toEqual(message);
    },
  );

  it('treats an answer of an unexpected shape as an internal error', async () => {
    fake.answerWith(() => ({ status: 200, body: { hits: [] } }));
    await expect(call(setup().tool, { query: 'payment' })).rejects.toThrow(
      /unexpected shape/,
    );
  });
});
