import { ConfigReader } from '@backstage/config';
import { JsonObject } from '@backstage/types';
import { readMcpConfig } from './mcpConfig';

const read = (mcp?: JsonObject) =>
  readMcpConfig(new ConfigReader(mcp === undefined ? {} : { mcp }));

describe('readMcpConfig', () => {
  it('has defaults for everything', () => {
    expect(read()).toEqual({
      enabled: true,
      actions: expect.objectContaining({
        enabled: true,
        pluginSources: [],
        refreshIntervalMs: 300_000,
      }),
      toolsets: new Set([
        'core',
        'catalog',
        'api',
        'scaffolder',
        'search',
        'techdocs',
      ]),
      readOnly: false,
      allowedOrigins: [],
      maxRequestBodyBytes: 256 * 1024,
      callTimeoutMs: 30_000,
      toolPermissionTtlMs: 10_000,
      telemetry: { captureArguments: false },
      results: {
        defaultPageSize: 20,
        maxPageSize: 100,
        defaultSpecChars: 20000,
        defaultDocChars: 20000,
        maxResultChars: 60_000,
      },
      agents: new Map(),
      endpoints: new Map(),
      redaction: { global: { fields: [], annotations: [] }, agents: new Map() },
      rateLimits: {},
      rateLimitStore: { timeoutMs: 2000 },
      killSwitch: { refreshIntervalMs: 2000 },
      secretEntry: {},
      portal: {
        appBaseUrl: undefined,
        searchMaxTermLength: 100,
        catalogSearchLocationTemplate: '/catalog/:namespace/:kind/:name',
      },
      techdocs: { builder: 'local', buildWaitMs: 30_000 },
    });
    expect(read({})).toEqual(read());
  });

  it('reads the portal settings from the app and search keys', () => {
    const config = readMcpConfig(
      new ConfigReader({
        app: { baseUrl: 'https://portal.example.com' },
        search: {
          maxTermLength: 250,
          collators: { catalog: { locationTemplate: '/entities/:kind/:name' } },
        },
      }),
    );
    expect(config.portal).toEqual({
      appBaseUrl: 'https://portal.example.com',
      searchMaxTermLength: 250,
      catalogSearchLocationTemplate: '/entities/:kind/:name',
    });
  });

  it.each([
    [
      'some toolsets, always with core',
      { toolsets: ['catalog'] },
      { toolsets: new Set(['catalog', 'core']) },
    ],
    ['no toolset but core', { toolsets: [] }, { toolsets: new Set(['core']) }],
    ['read-only mode', { readOnly: true }, { readOnly: true }],
    [
      'no build wait',
      { techdocs: { buildWaitSeconds: 0 } },
      { techdocs: { builder: 'local', buildWaitMs: 0 } },
    ],
    [
      'allowed origins',
      { allowedOrigins: ['https://ide.example.com'] },
      { allowedOrigins: ['https://ide.example.com'] },
    ],
    [
      'a body limit',
      { maxRequestBodyBytes: 1024 },
      { maxRequestBodyBytes: 1024 },
    ],
    [
      'a call timeout',
      { callTimeout: { seconds: 5 } },
      { callTimeoutMs: 5000 },
    ],
    [
      'no reuse of permission decisions',
      { toolPermissionTtl: { seconds: 0 } },
      { toolPermissionTtlMs: 0 },
    ],
    [
      'a longer reuse of permission decisions',
      { toolPermissionTtl: '1m' },
      { toolPermissionTtlMs: 60_000 },
    ],
    [
      'result limits',
      {
        results: {
          defaultPageSize: 50,
          maxPageSize: 500,
          defaultSpecChars: 5000,
          defaultDocChars: 3000,
        },
      },
      {
        results: {
          defaultPageSize: 50,
          maxPageSize: 500,
          defaultSpecChars: 5000,
          defaultDocChars: 3000,
        },
      },
    ],
    [
      'one result limit, keeping the other defaults',
      { results: { maxPageSize: 40 } },
      {
        results: {
          defaultPageSize: 20,
          maxPageSize: 40,
          defaultSpecChars: 20000,
          defaultDocChars: 20000,
        },
      },
    ],
    [
      'equal default and maximum page sizes',
      { results: { defaultPageSize: 30, maxPageSize: 30 } },
      {
        results: {
          defaultPageSize: 30,
          maxPageSize: 30,
          defaultSpecChars: 20000,
          defaultDocChars: 20000,
        },
      },
    ],
    [
      'agent scopes with template refs and tags',
      {
        agents: [
          {
            subject: 'release-bot',
            templates: ['nodejs-service', 'tag:agent-safe'],
          },
          { subject: 'reader' },
        ],
      },
      {
        agents: new Map([
          [
            'release-bot',
            {
              templates: ['template:default/nodejs-service', 'tag:agent-safe'],
            },
          ],
          ['reader', {}],
        ]),
      },
    ],
    [
      'an agent allowed no template',
      { agents: [{ subject: 'bot', templates: [] }] },
      { agents: new Map([['bot', { templates: [] }]]) },
    ],
  ])('reads %s', (_name, mcp, expected) => {
    expect(read(mcp)).toMatchObject(expected);
  });

  it.each([
    [
      'an unknown toolset',
      { toolsets: ['catalog', 'wiki'] },
      /unknown toolsets: wiki\. Known toolsets: core, catalog, api, scaffolder, search, techdocs/,
    ],
    [
      'a negative build wait',
      { techdocs: { buildWaitSeconds: -1 } },
      'buildWaitSeconds must be an integer from 0 to 600, got -1',
    ],
    [
      'a negative doc budget',
      { results: { defaultDocChars: -1 } },
      'defaultDocChars must be a positive integer, got -1',
    ],
    [
      'a default page size above the maximum',
      { results: { defaultPageSize: 50, maxPageSize: 40 } },
      'mcp.results.defaultPageSize (50) exceeds mcp.results.maxPageSize (40)',
    ],
    [
      'a zero page size',
      { results: { maxPageSize: 0 } },
      'maxPageSize must be a positive integer, got 0',
    ],
    [
      'a fractional page size',
      { results: { defaultPageSize: 2.5 } },
      'must be a positive integer, got 2.5',
    ],
    [
      'a negative spec budget',
      { results: { defaultSpecChars: -1 } },
      'must be a positive integer, got -1',
    ],
    [
      'a negative body limit',
      { maxRequestBodyBytes: -5 },
      'mcp.maxRequestBodyBytes must be a positive integer',
    ],
    [
      'a call timeout under a second',
      { callTimeout: '10ms' },
      'mcp.callTimeout must be from 1 second to 10 minutes',
    ],
    [
      'a permission decision reused for an hour',
      { toolPermissionTtl: { hours: 1 } },
      'mcp.toolPermissionTtl must be from 0 to 5 minutes',
    ],
    [
      'an agent listed twice',
      { agents: [{ subject: 'bot' }, { subject: 'bot' }] },
      'lists subject "bot" twice',
    ],
    [
      'an empty tag',
      { agents: [{ subject: 'bot', templates: ['tag:'] }] },
      'mcp.agents[0].templates has "tag:"',
    ],
    [
      'a malformed ref',
      { agents: [{ subject: 'bot', templates: ['template:'] }] },
      'use a template ref like template:default/nodejs-service, or tag:<tag>',
    ],
  ])('rejects %s', (_name, mcp, message) => {
    expect(() => read(mcp)).toThrow(message);
  });

  it.each([
    ['local', 'local'],
    ['external', 'external'],
  ])("reads the portal's techdocs.builder %s", (builder, expected) => {
    const config = readMcpConfig(new ConfigReader({ techdocs: { builder } }));
    expect(config.techdocs.builder).toBe(expected);
  });

  it('rejects an unknown techdocs.builder', () => {
    expect(() =>
      readMcpConfig(new ConfigReader({ techdocs: { builder: 'cloud' } })),
    ).toThrow('techdocs.builder must be "local" or "external", got "cloud"');
  });

  it.each([
    ['toolsets as a string', { toolsets: 'catalog' }],
    ['readOnly as a string', { readOnly: 'maybe' }],
    ['a page size as a word', { results: { maxPageSize: 'many' } }],
    ['an agent without subject', { agents: [{ templates: ['x'] }] }],
  ])('rejects %s with the config reader', (_name, mcp) => {
    expect(() => read(mcp)).toThrow();
  });

  it('reads rate limits globally and per agent, with durations in any Backstage form', () => {
    const config = read({
      rateLimits: {
        calls: { limit: 120 },
        writes: { limit: 10, window: '30s' },
        storeTimeout: '500ms',
      },
      agents: [
        {
          subject: 'bot',
          rateLimits: { calls: { limit: 5, window: { hours: 1 } } },
        },
      ],
      killSwitch: { refreshInterval: { milliseconds: 500 } },
    });
    expect(config.rateLimits).toEqual({
      calls: { limit: 120, windowMs: 60_000 },
      writes: { limit: 10, windowMs: 30_000 },
    });
    expect(config.agents.get('bot')?.rateLimits).toEqual({
      calls: { limit: 5, windowMs: 3_600_000 },
    });
    expect(config.killSwitch.refreshIntervalMs).toBe(500);
    expect(config.rateLimitStore.timeoutMs).toBe(500);
  });

  it.each([
    [
      { rateLimits: { calls: { limit: 0 } } },
      /mcp\.rateLimits\.calls\.limit must be a positive integer, got 0/,
    ],
    [
      { rateLimits: { writes: { limit: 2.5 } } },
      /mcp\.rateLimits\.writes\.limit must be a positive integer/,
    ],
    [
      { rateLimits: { calls: { limit: 5, window: 'soon' } } },
      /mcp\.rateLimits\.calls\.window must be a duration/,
    ],
    [
      { rateLimits: { calls: { limit: 5, window: { days: 2 } } } },
      /mcp\.rateLimits\.calls\.window must be from 1 second to 1 day/,
    ],
    [
      { agents: [{ subject: 'bot', rateLimits: { calls: { limit: -1 } } }] },
      /mcp\.agents\[0\]\.rateLimits\.calls\.limit/,
    ],
    [
      { killSwitch: { refreshInterval: { minutes: 5 } } },
      /mcp\.killSwitch\.refreshInterval must be from 100 ms to 1 minute/,
    ],
    [
      { rateLimits: { storeTimeout: { minutes: 2 } } },
      /mcp\.rateLimits\.storeTimeout must be from 10 ms to 1 minute/,
    ],
  ])('fails startup on invalid governance settings %j', (mcp, message) => {
    expect(() => read(mcp as JsonObject)).toThrow(message);
  });

  it('reads the secret entry key, which never prints', () => {
    const key = Buffer.alloc(32, 5).toString('base64');
    const config = read({ secretEntry: { encryptionKey: key } });
    expect(config.secretEntry.encryptionKey?.exportBase64()).toBe(key);
    expect(JSON.stringify(config.secretEntry)).not.toContain(key);
  });

  it('fails startup on a secret entry key that is not 32 bytes of base64, without repeating it', () => {
    const value = 'not-a-real-key-but-a-password';
    expect(() => read({ secretEntry: { encryptionKey: value } })).toThrow(
      /mcp\.secretEntry\.encryptionKey must be 32 random bytes written as base64/,
    );
    expect(() => read({ secretEntry: { encryptionKey: value } })).not.toThrow(
      new RegExp(value),
    );
  });
});

describe('mcp.results.maxResultChars', () => {
  const readResults = (results: object) =>
    readMcpConfig(new ConfigReader({ mcp: { results } }));

  it('refuses a budget too small for any answer, and text windows that do not fit in it', () => {
    expect(() => readResults({ maxResultChars: 1000 })).toThrow(
      'mcp.results.maxResultChars must be at least 5000',
    );
    expect(() => readResults({ maxResultChars: 20_000 })).toThrow(
      'mcp.results.defaultSpecChars (20000) must leave room in mcp.results.maxResultChars (20000): at most 16000',
    );
    expect(
      readResults({
        maxResultChars: 20_000,
        defaultSpecChars: 8000,
        defaultDocChars: 8000,
      }).results.maxResultChars,
    ).toBe(20_000);
  });
});
