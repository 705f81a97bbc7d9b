import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogTemplateKind from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import { scaffolderServiceMock } from '@backstage/plugin-scaffolder-node/testUtils';
import { connectMcpClient } from '@backstage-mcp/test-utils';
import { stringifyEntityRef } from '@backstage/catalog-model';
import path from 'node:path';
import { mcpPlugin } from './plugin';
import {
  docsTemplate,
  fakeGetTemplateParameterSchema,
} from './tools/scaffolder/__fixtures__/templates';

const SECRET = 'hunter2-docs-host-token';
const DOCS_VALUES = { name: 'team-docs', owner: 'group:default/team-a' };
const aliceToken = {
  Authorization: mockCredentials.user.header('user:default/alice'),
};

const scaffolder = scaffolderServiceMock.mock({
  getTemplateParameterSchema: jest.fn(fakeGetTemplateParameterSchema),
  scaffold: jest.fn(async () => ({ taskId: 'task-1' })),
});

const DOCS_TEMPLATE_FILE = path.resolve(
  __dirname,
  '../../../examples/templates/docs-site/template.yaml',
);

/** The catalog ingests the template file shortly after it starts. */
async function waitForTemplate(baseUrl: string) {
  const { kind, namespace, name } = {
    kind: docsTemplate.kind.toLocaleLowerCase('en-US'),
    namespace: docsTemplate.metadata.namespace ?? 'default',
    name: docsTemplate.metadata.name,
  };
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${baseUrl}/api/catalog/entities/by-name/${kind}/${namespace}/${name}`,
      { headers: { Authorization: mockCredentials.service.header() } },
    );
    if (response.ok) return;
    await new Promise(resolve => setTimeout(resolve, 250));
  }
  throw new Error(`${stringifyEntityRef(docsTemplate)} was never ingested`);
}

/**
 * Starts the plugin as the demo portal runs it: in development, where
 * Backstage's default error handler would add stack traces to error bodies.
 */
async function startBackend() {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'development';
  try {
    const backend = await startTestBackend({
      features: [
        mcpPlugin,
        catalogPlugin,
        catalogTemplateKind,
        scaffolder.factory,
        mockServices.rootConfig.factory({
          data: {
            // Open to every origin, as for local experiments: the page's own
            // Origin check must still refuse cross-site submissions.
            mcp: { allowedOrigins: ['*'] },
            catalog: {
              locations: [{ type: 'file', target: DOCS_TEMPLATE_FILE }],
              rules: [{ allow: ['Template'] }],
            },
          },
        }),
        // Without a cookie or token, nobody: as Backstage's own httpAuth.
        mockServices.httpAuth.factory({
          defaultCredentials: mockCredentials.none(),
        }),
      ],
    });
    const baseUrl = `http://localhost:${backend.server.port()}`;
    await waitForTemplate(baseUrl);
    return { backend, baseUrl };
  } finally {
    process.env.NODE_ENV = previous;
  }
}

describe('the secret entry page in a running backend', () => {
  let started: Awaited<ReturnType<typeof startBackend>>;
  beforeAll(async () => {
    started = await startBackend();
  });
  afterAll(() => started.backend.stop());

  const pageUrl = () => `${started.baseUrl}/api/mcp/secrets`;
  const open = (cookie?: string) =>
    fetch(pageUrl(), { headers: cookie ? { Cookie: cookie } : {} });
  const enter = (
    cookie: string,
    id: string,
    secret: string,
    origin = started.baseUrl,
  ) =>
    fetch(pageUrl(), {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        request: id,
        'secret.apiToken': secret,
      }).toString(),
    });

  /** What a signed-in frontend does: trades the user's token for Backstage's user cookie. */
  async function cookieFor(headers: Record<string, string>) {
    const res = await fetch(
      `${started.baseUrl}/api/mcp/.backstage/auth/v1/cookie`,
      { headers },
    );
    expect(res.status).toBe(200);
    return res.headers.get('set-cookie')!.split(';')[0];
  }

  it('takes the secrets from the signed-in user who asked, once, and from nobody else', async () => {
    const agent = await connectMcpClient(
      '2025-11-25',
      `${started.baseUrl}/api/mcp`,
      aliceToken,
    );
    const asked = await agent.callTool('scaffolder_run_template', {
      ref: 'docs-site',
      values: DOCS_VALUES,
    });
    expect(asked.isError).toBe(true);
    expect(asked.content[0].text).toContain(
      `Ask the user to open ${pageUrl()}, signed in to the portal as user:default/alice`,
    );

    const signedOut = await open();
    expect(signedOut.status).toBe(401);
    expect(await signedOut.text()).not.toContain('<form');

    const alice = await cookieFor(aliceToken);
    const page = await open(alice);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('<dd>user:default/alice (you)</dd>');
    expect(html).toContain(
      'Documentation site <small>template:default/docs-site</small>',
    );
    const id = /name="request" value="([0-9a-f-]{36})"/.exec(html)![1];

    const mallory = mockCredentials.limitedUser.cookie('user:default/mallory');
    expect((await open(mallory)).status).toBe(404);
    expect((await enter(mallory, id, 'mallory-token')).status).toBe(404);

    const crossSite = await enter(
      alice,
      id,
      'from-evil',
      'https://evil.example',
    );
    expect(crossSite.status).toBe(403);
    expect(await crossSite.text()).toContain('Sent from another site');

    expect((await enter(alice, id, SECRET)).status).toBe(200);
    const again = await enter(alice, id, 'second-try');
    expect(again.status).toBe(409);

    const run = await agent.callTool('scaffolder_run_template', {
      ref: 'docs-site',
      values: DOCS_VALUES,
    });
    expect(run.isError).toBeFalsy();
    expect(scaffolder.scaffold).toHaveBeenCalledWith(
      expect.objectContaining({ secrets: { apiToken: SECRET } }),
      expect.anything(),
    );
    expect(JSON.stringify(run)).not.toContain(SECRET);
    await agent.close();
  });

  it('refuses a static-token agent no administrator allowed to ask for secrets', async () => {
    const agent = await connectMcpClient(
      '2026-07-28',
      `${started.baseUrl}/api/mcp`,
      {
        Authorization: mockCredentials.service.header({
          onBehalfOf: mockCredentials.service('release-bot'),
          targetPluginId: 'mcp',
        }),
      },
    );
    const refused = await agent.callTool('scaffolder_run_template', {
      ref: 'docs-site',
      values: DOCS_VALUES,
    });
    expect(refused.isError).toBe(true);
    expect(refused.content[0].text).toContain(
      'mcp.agents[].secretEntry.enteredBy',
    );
    await agent.close();
  });

  const post = (
    body: string,
    contentType = 'application/x-www-form-urlencoded',
  ) =>
    fetch(pageUrl(), {
      method: 'POST',
      headers: { 'Content-Type': contentType },
      body,
    });

  it.each([
    [
      'a 70 kB body',
      () => post(`apiToken=${SECRET}&padding=${'a'.repeat(70 * 1024)}`),
      413,
    ],
    [
      'more than 50 parameters',
      () =>
        post(
          [
            `apiToken=${SECRET}`,
            ...Array.from({ length: 60 }, (_, i) => `field${i}=x`),
          ].join('&'),
        ),
      413,
    ],
    [
      'an unknown charset',
      () =>
        post(
          `apiToken=${SECRET}`,
          'application/x-www-form-urlencoded; charset=klingon',
        ),
      415,
    ],
    [
      'a body that is not a form',
      () => post(JSON.stringify({ apiToken: SECRET }), 'application/json'),
      415,
    ],
  ])(
    'answers %s with a plain page: no stack trace, nothing of what was sent',
    async (_case, send, status) => {
      const res = await send();
      const text = await res.text();
      expect(text).not.toContain(SECRET);
      expect(text).not.toMatch(/stack|\bat \S+ \(|node_modules|Error:/);
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(text).toContain('Nothing was saved');
    },
  );
});
