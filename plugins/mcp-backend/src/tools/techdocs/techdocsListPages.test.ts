import { mockCredentials } from '@backstage/backend-test-utils';
import { z } from 'zod';
import {
  callTool,
  expectEveryPropertyDescribed,
  expectInputIssue,
  expectUnknownKeyRejected,
  listedDefinition,
} from '../../__testUtils__/toolTesting';
import { McpTool } from '../types';
import { startDocsFixture } from '../../techdocs/__testUtils__/docsCatalog';
import { createTechdocsListPagesTool } from './techdocsListPages';

const credentials = mockCredentials.user('user:default/alice');
const callerToken = `Bearer ${mockCredentials.service.token({
  onBehalfOf: credentials,
  targetPluginId: 'techdocs',
})}`;

type Fixture = Awaited<ReturnType<typeof startDocsFixture>>;
let fixture: Fixture | undefined;

async function setup(options: Parameters<typeof startDocsFixture>[0] = {}) {
  fixture = await startDocsFixture(options);
  return { tool: createTechdocsListPagesTool(fixture), ...fixture };
}

afterEach(async () => {
  await fixture?.fake.stop();
  fixture = undefined;
});

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);

const PAGES = [
  { path: '/', title: 'Overview' },
  { path: '/authentication/', title: 'Authentication' },
  { path: '/api-usage/', title: 'API usage' },
  { path: '/runbook/', title: 'Runbook' },
];

describe('techdocs_list_pages', () => {
  it('has a stable listed definition', async () => {
    expect(listedDefinition((await setup()).tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys, is read-only and reads entities downstream', async () => {
    const { tool } = await setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'query',
      'limit',
      'cursor',
      'response_format',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.description).toContain('techdocs_get_page');
    expect(tool.annotations.readOnlyHint).toBe(true);
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it("lists the pages in the site's navigation order, as the caller", async () => {
    const { tool, fake } = await setup();
    const result = await call(tool, { ref: 'payment-service' });
    expect(result).toEqual({
      ref: 'component:default/payment-service',
      built_at: '2024-05-01T10:00:00.000Z',
      items: PAGES,
      total_count: 4,
    });
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/techdocs/metadata/techdocs/default/component/payment-service',
      '/api/techdocs/static/docs/default/component/payment-service/index.html',
      '/api/techdocs/static/docs/default/component/payment-service/search/search_index.json',
    ]);
    expect(fake.requests.every(r => r.authorization === callerToken)).toBe(
      true,
    );
  });

  it('adds the headings of each page when detailed', async () => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'payment-service',
      response_format: 'detailed',
    });
    const authentication = result.items.find(
      (p: any) => p.path === '/authentication/',
    );
    expect(authentication.sections.map((s: any) => s.id)).toEqual([
      'authentication',
      'getting-a-token',
      'scopes',
      'calling-the-api',
      'errors',
      'key-rotation',
    ]);
    const runbook = result.items.find((p: any) => p.path === '/runbook/');
    expect(runbook.sections).toContainEqual({
      title: 'Rolling back a release',
      id: 'rolling-back-a-release',
    });
  });

  it.each([
    ['a title', 'runbook', ['/runbook/']],
    ['a path', 'api-usage', ['/api-usage/']],
    ['any case', 'AUTH', ['/authentication/']],
    ['nothing', 'kubernetes', []],
  ])('filters by %s', async (_name, query, paths) => {
    const { tool } = await setup();
    const result = await call(tool, { ref: 'payment-service', query });
    expect(result.items.map((p: any) => p.path)).toEqual(paths);
    expect(result.total_count).toBe(paths.length);
  });

  it('pages with a cursor, without repeats', async () => {
    const { tool } = await setup();
    const first = await call(tool, { ref: 'payment-service', limit: 3 });
    expect(first.items).toEqual(PAGES.slice(0, 3));
    expect(first.truncation_hint).toContain('cursor=next_cursor');
    const second = await call(tool, {
      ref: 'payment-service',
      limit: 3,
      cursor: first.next_cursor,
    });
    expect(second.items).toEqual(PAGES.slice(3));
    expect(second.next_cursor).toBeUndefined();
  });

  it('has docs that are not built yet built first', async () => {
    const { tool } = await setup();
    const result = await call(tool, { ref: 'unbuilt-service' });
    expect(result.build_triggered).toBe(true);
    expect(result.items).toEqual(PAGES);
  });

  it('lists the docs of the entity an entity points at', async () => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'component:default/payment-facade',
    });
    expect(result.docs_ref).toBe('component:default/payment-service');
    expect(result.items).toEqual(PAGES);
  });

  it.each([
    [
      'an entity the caller may not read',
      { hidden: ['payment-service'] },
      'payment-service',
      0,
    ],
    ['an entity without docs', {}, 'no-docs-service', 0],
    ['an entity TechDocs refuses', {}, 'hidden-by-techdocs', 1],
  ])(
    'answers not found for %s, with no pages',
    async (_name, options, ref, requests) => {
      const { tool, fake } = await setup(options);
      const error = await call(tool, { ref }).catch(e => e);
      expect(error.name).toBe('NotFoundError');
      expect(fake.requests).toHaveLength(requests);
    },
  );

  it.each([
    ['a missing ref', {}, ['ref']],
    ['a zero limit', { ref: 'a', limit: 0 }, ['limit']],
    [
      'an unknown response format',
      { ref: 'a', response_format: 'full' },
      ['response_format'],
    ],
  ])('rejects %s with a field-level issue', async (_name, args, path) => {
    expectInputIssue((await setup()).tool, args, path);
  });

  it('rejects an unknown argument by name', async () => {
    expectUnknownKeyRejected(
      (await setup()).tool,
      { ref: 'a', depth: 2 },
      'depth',
    );
  });

  it('rejects a cursor it did not make', async () => {
    const { tool } = await setup();
    const error = await call(tool, {
      ref: 'payment-service',
      cursor: 'not-a-cursor',
    }).catch(e => e);
    expect(error.name).toBe('InputError');
  });
});
