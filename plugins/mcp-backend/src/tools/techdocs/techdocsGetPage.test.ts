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
import { createTechdocsGetPageTool } from './techdocsGetPage';

const credentials = mockCredentials.user('user:default/alice');
const callerToken = `Bearer ${mockCredentials.service.token({
  onBehalfOf: credentials,
  targetPluginId: 'techdocs',
})}`;

type Fixture = Awaited<ReturnType<typeof startDocsFixture>>;
let fixture: Fixture | undefined;

async function setup(options: Parameters<typeof startDocsFixture>[0] = {}) {
  fixture = await startDocsFixture(options);
  const tool = createTechdocsGetPageTool(fixture);
  return { tool, ...fixture };
}

afterEach(async () => {
  await fixture?.fake.stop();
  fixture = undefined;
});

const call = (tool: McpTool, args: Record<string, unknown>) =>
  callTool(tool, args, credentials);
const failure = (tool: McpTool, args: Record<string, unknown>) =>
  call(tool, args).then(
    () => {
      throw new Error('expected the call to fail');
    },
    (error: Error) => error,
  );

describe('techdocs_get_page', () => {
  it('has a stable listed definition', async () => {
    const { tool } = await setup();
    expect(listedDefinition(tool)).toMatchSnapshot();
  });

  it('describes every input property, rejects unknown keys, is read-only and reads entities downstream', async () => {
    const { tool } = await setup();
    const schema = z.toJSONSchema(tool.inputSchema, { io: 'input' }) as any;
    expect(Object.keys(schema.properties)).toEqual([
      'ref',
      'path',
      'section',
      'max_chars',
      'offset',
    ]);
    expectEveryPropertyDescribed(schema);
    expect(schema.additionalProperties).toBe(false);
    expect(tool.description).toContain('techdocs_list_pages');
    expect(tool.annotations).toEqual({
      readOnlyHint: true,
      destructiveHint: false,
      idempotentHint: true,
      openWorldHint: false,
    });
    expect(tool.downstreamPermissions.map(p => p.name)).toEqual([
      'catalog.entity.read',
    ]);
  });

  it("reads the home page as Markdown with the caller's token, and an outline", async () => {
    const { tool, fake } = await setup();
    const result = await call(tool, { ref: 'payment-service' });
    expect(result).toMatchObject({
      ref: 'component:default/payment-service',
      built_at: '2024-05-01T10:00:00.000Z',
      path: '/',
      title: 'Payment Service',
      offset: 0,
      truncated: false,
    });
    expect(
      result.markdown.startsWith(
        '# Payment Service\n\nThe payment service orchestrates',
      ),
    ).toBe(true);
    expect(result.total_chars).toBe(result.markdown.length);
    expect(result.outline.map((e: any) => e.id)).toEqual([
      'payment-service',
      'what-it-does',
      'architecture',
      'service-level-objectives',
      'contacts',
    ]);
    expect(result.build_triggered).toBeUndefined();
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/techdocs/metadata/techdocs/default/component/payment-service',
      '/api/techdocs/static/docs/default/component/payment-service/index.html',
    ]);
    expect(fake.requests.every(r => r.authorization === callerToken)).toBe(
      true,
    );
  });

  it.each([
    ['a page path', '/authentication/', '/authentication/', '# Authentication'],
    ['a bare name', 'authentication', '/authentication/', '# Authentication'],
    [
      'a Markdown file name',
      'authentication.md',
      '/authentication/',
      '# Authentication',
    ],
    ['the built file', 'runbook/index.html', '/runbook/', '# Runbook'],
    [
      'the home page by its Markdown name',
      'index.md',
      '/',
      '# Payment Service',
    ],
  ])('finds a page by %s', async (_name, path, expectedPath, start) => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'component:default/payment-service',
      path,
    });
    expect(result.path).toBe(expectedPath);
    expect(result.markdown.startsWith(start)).toBe(true);
  });

  it('pages through a long page in pieces that join to the whole, ending on whole lines', async () => {
    const { tool } = await setup();
    const whole = await call(tool, {
      ref: 'payment-service',
      path: '/runbook/',
      max_chars: 48_000,
    });
    expect(whole.truncated).toBe(false);
    expect(whole.total_chars).toBeGreaterThan(30_000);

    const pieces: any[] = [];
    let offset: number | undefined = 0;
    while (offset !== undefined) {
      const piece: any = await call(tool, {
        ref: 'payment-service',
        path: '/runbook/',
        max_chars: 8000,
        offset,
      });
      pieces.push(piece);
      offset = piece.next_offset;
    }
    const [last, ...cut] = [...pieces].reverse();
    expect(pieces.length).toBeGreaterThanOrEqual(5);
    expect(
      pieces.every(
        piece =>
          piece.markdown.length <= 8000 &&
          piece.total_chars === whole.total_chars,
      ),
    ).toBe(true);
    expect(pieces.map(piece => piece.outline !== undefined)).toEqual(
      pieces.map((_piece, index) => index === 0),
    );
    expect(last).toMatchObject({
      truncated: false,
      next_offset: undefined,
      truncation_hint: undefined,
    });
    for (const piece of cut) {
      expect(piece.truncated).toBe(true);
      expect(piece.markdown.endsWith('\n')).toBe(true);
      expect(piece.truncation_hint).toContain(
        `offset=${piece.next_offset}; the pieces join to the exact text`,
      );
      expect(piece.truncation_hint).toContain(
        'pass section with a title or id from the outline',
      );
    }
    expect(pieces.map(piece => piece.markdown).join('')).toBe(whole.markdown);
  });

  it.each([
    ['a heading title', { section: 'Rolling back a release' }],
    ['an anchor', { section: 'rolling-back-a-release' }],
    ['a #anchor', { section: '#rolling-back-a-release' }],
    ['an anchor in the path', { path: '/runbook/#rolling-back-a-release' }],
    ['a unique part of a title', { section: 'rolling back' }],
  ])('selects one section by %s', async (_name, args) => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'payment-service',
      path: '/runbook/',
      ...args,
    });
    expect(result.section).toEqual({
      title: 'Rolling back a release',
      id: 'rolling-back-a-release',
    });
    expect(result.markdown.startsWith('### Rolling back a release\n')).toBe(
      true,
    );
    expect(result.markdown).toContain('argocd app rollback');
    expect(result.markdown).not.toContain('### Failing over to another PSP');
    expect(result.outline).toEqual([
      expect.objectContaining({
        id: 'rolling-back-a-release',
        chars: result.total_chars,
      }),
    ]);
  });

  it('selects a section with its subsections', async () => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'payment-service',
      path: '/runbook/',
      section: 'Procedures',
    });
    expect(result.outline.map((e: any) => e.level)).toEqual([
      2, 3, 3, 3, 3, 3, 3, 3, 3,
    ]);
    expect(result.markdown).toContain('### Replaying webhooks');
    expect(result.markdown).not.toContain('## Dashboards explained');
  });

  it.each([
    [
      'no section',
      'Kubernetes upgrades',
      /matches no section of \/runbook\/\. Pass one of these titles or anchors: "Runbook" \(runbook\)/,
    ],
    [
      'several sections',
      'Payment',
      /matches several sections of \/runbook\/.*"PaymentIntentErrorRateHigh"/,
    ],
  ])(
    'answers a section that matches %s with the choices',
    async (_name, section, message) => {
      const { tool } = await setup();
      const error = await failure(tool, {
        ref: 'payment-service',
        path: '/runbook/',
        section,
      });
      expect(error.name).toBe('InputError');
      expect(error.message).toMatch(message);
    },
  );

  it('answers an unknown page with the pages there are, without fetching it', async () => {
    const { tool, fake } = await setup();
    const error = await failure(tool, {
      ref: 'payment-service',
      path: '/deployment/',
    });
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'The docs of component:default/payment-service have no page "/deployment/". Pages include: /, /api-usage/, /authentication/, /runbook/. Call techdocs_list_pages {"ref": "component:default/payment-service"} for every page',
    );
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/techdocs/metadata/techdocs/default/component/payment-service',
    ]);
  });

  it('reads the docs of the entity an entity points at', async () => {
    const { tool } = await setup();
    const result = await call(tool, {
      ref: 'payment-facade',
      path: '/authentication/',
    });
    expect(result.ref).toBe('component:default/payment-facade');
    expect(result.docs_ref).toBe('component:default/payment-service');
    expect(result.title).toBe('Authentication');
  });

  it.each([
    [
      'an unknown entity',
      {},
      'component:default/nope',
      /No entity component:default\/nope was found, or you may not read it/,
    ],
    [
      'an entity the caller may not read',
      { hidden: ['payment-service'] },
      'payment-service',
      /No entity component:default\/payment-service was found, or you may not read it/,
    ],
    [
      'an entity without docs',
      {},
      'no-docs-service',
      /component:default\/no-docs-service has no TechDocs \(no backstage.io\/techdocs-ref annotation\)/,
    ],
  ])(
    'answers not found for %s without asking TechDocs',
    async (_name, options, ref, message) => {
      const { tool, fake } = await setup(options);
      const error = await failure(tool, { ref });
      expect(error.name).toBe('NotFoundError');
      expect(error.message).toMatch(message);
      expect(fake.requests).toEqual([]);
    },
  );

  it('answers not found, with no content, when TechDocs refuses the caller', async () => {
    const { tool, fake } = await setup();
    const error = await failure(tool, { ref: 'hidden-by-techdocs' });
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'No docs of component:default/hidden-by-techdocs were found, or you may not read them',
    );
    expect(fake.requests).toHaveLength(1);
  });

  it('has docs that are not built yet built first, then reads them', async () => {
    const { tool, fake } = await setup();
    const result = await call(tool, {
      ref: 'unbuilt-service',
      path: '/authentication/',
    });
    expect(result.build_triggered).toBe(true);
    expect(result.title).toBe('Authentication');
    expect(fake.requests.map(r => r.path)).toEqual([
      '/api/techdocs/metadata/techdocs/default/component/unbuilt-service',
      '/api/techdocs/sync/default/component/unbuilt-service',
      '/api/techdocs/metadata/techdocs/default/component/unbuilt-service',
      '/api/techdocs/static/docs/default/component/unbuilt-service/authentication/index.html',
    ]);
    expect(fake.requests[1]).toMatchObject({
      authorization: callerToken,
      accept: 'text/event-stream',
    });
  });

  it.each([
    [
      'the portal builds docs externally',
      { techdocs: { builder: 'external' } },
      'unbuilt-service',
      'NotFoundError',
      /have not been published yet\. This portal builds docs outside Backstage \(techdocs.builder: external\)/,
    ],
    [
      'this server starts no builds',
      { mcp: { techdocs: { buildWaitSeconds: 0 } } },
      'unbuilt-service',
      'NotFoundError',
      /have not been built yet, and this server does not start builds/,
    ],
  ])(
    'says plainly that docs are not built when %s, without starting a build',
    async (_name, options, ref, name, message) => {
      const { tool, fake } = await setup(options);
      const error = await failure(tool, { ref });
      expect(error.name).toBe(name);
      expect(error.message).toMatch(message);
      expect(fake.requests.map(r => r.path)).toEqual([
        '/api/techdocs/metadata/techdocs/default/component/unbuilt-service',
      ]);
    },
  );

  it("passes on why a build failed, with mkdocs' error, without the server's paths, and says what to do", async () => {
    const { tool } = await setup();
    const error = await failure(tool, { ref: 'broken-service' });
    expect(error.name).toBe('NotFoundError');
    expect(error.message).toBe(
      'The docs of component:default/broken-service could not be built: Failed to generate docs from <path> into <path>; ' +
        'caused by Error: Command mkdocs failed, exit code: 1. ' +
        'mkdocs said: ERROR - Config value "theme": Unrecognised theme name: "material". ' +
        'Calling again builds them again and fails the same way until their sources (mkdocs.yml and the Markdown files) ' +
        'or the portal\'s docs builder are fixed: tell the entity\'s owners (catalog_get_owner {"ref": "component:default/broken-service"}) ' +
        "or the portal's operators, who find the whole build log in the TechDocs backend's log. " +
        "Meanwhile the entity's description and links are in catalog_get_entity",
    );
  });

  it('stops waiting for a slow build and says to call again', async () => {
    const { tool } = await setup({
      mcp: { techdocs: { buildWaitSeconds: 1 } },
    });
    const started = Date.now();
    const error = await failure(tool, { ref: 'slow-service' });
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      /are being built now and were not ready within 1 seconds\. Call again in a minute/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('rejects an offset past the end of the page', async () => {
    const { tool } = await setup();
    const error = await failure(tool, {
      ref: 'payment-service',
      offset: 1_000_000,
    });
    expect(error.name).toBe('InputError');
    expect(error.message).toMatch(
      /offset 1000000 is past the end of the page, which has \d+ characters/,
    );
  });

  it('refuses a path that climbs out of the site, without asking for it', async () => {
    const { tool, fake } = await setup();
    const error = await failure(tool, {
      ref: 'payment-service',
      path: '../checkout-service/index.html',
    });
    expect(error.name).toBe('InputError');
    expect(fake.requests.some(r => r.path.includes('checkout-service'))).toBe(
      false,
    );
  });

  it.each([
    ['a missing ref', {}, ['ref']],
    ['max_chars below 100', { ref: 'a', max_chars: 99 }, ['max_chars']],
    [
      'max_chars above the maximum',
      { ref: 'a', max_chars: 200_001 },
      ['max_chars'],
    ],
    ['a negative offset', { ref: 'a', offset: -1 }, ['offset']],
    ['an empty section', { ref: 'a', section: '' }, ['section']],
    ['a path as a number', { ref: 'a', path: 3 }, ['path']],
  ])('rejects %s with a field-level issue', async (_name, args, path) => {
    expectInputIssue((await setup()).tool, args, path);
  });

  it('rejects an unknown argument by name', async () => {
    expectUnknownKeyRejected(
      (await setup()).tool,
      { ref: 'a', page: '/runbook/' },
      'page',
    );
  });
});
