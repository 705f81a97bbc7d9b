import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { fixtureSite, startFakeTechDocs } from './__testUtils__/fakeTechDocs';
import { createTechDocsClient } from './techdocsClient';

const credentials = mockCredentials.user('user:default/alice');
const site = {
  kind: 'Component',
  namespace: 'default',
  name: 'payment-service',
};

type Fake = Awaited<ReturnType<typeof startFakeTechDocs>>;
let fake: Fake | undefined;

async function setup(options: Parameters<typeof startFakeTechDocs>[0] = {}) {
  fake = await startFakeTechDocs({
    sites: { 'default/component/payment-service': fixtureSite() },
    ...options,
  });
  return {
    fake,
    client: createTechDocsClient({
      discovery: fake.discovery,
      auth: mockServices.auth(),
    }),
  };
}

afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe('createTechDocsClient', () => {
  it("reads the metadata with a token minted for TechDocs on the caller's behalf", async () => {
    const { client, fake: server } = await setup();
    const metadata = await client.getMetadata(site, { credentials });
    expect(metadata.build_timestamp).toBe(1714557600000);
    expect(metadata.files).toContain('runbook/index.html');
    expect(server.requests).toEqual([
      {
        path: '/api/techdocs/metadata/techdocs/default/component/payment-service',
        authorization: `Bearer ${mockCredentials.service.token({
          onBehalfOf: credentials,
          targetPluginId: 'techdocs',
        })}`,
        accept: '*/*',
      },
    ]);
  });

  it('reads a file of the site, with the kind and namespace lowercased as TechDocs stores them', async () => {
    const { client, fake: server } = await setup();
    const html = await client.getFile(
      { ...site, namespace: 'Default' },
      'authentication/index.html',
      { credentials },
    );
    expect(html).toContain('<h1 id="authentication">Authentication');
    expect(server.requests[0].path).toBe(
      '/api/techdocs/static/docs/default/component/payment-service/authentication/index.html',
    );
  });

  it.each([
    [
      '404',
      {},
      'NotFoundError',
      'The docs of component:default/checkout-service have no file index.html',
    ],
    [
      '403',
      { forbidden: ['default/component/checkout-service'] },
      'NotAllowedError',
      'The docs of component:default/checkout-service have no file index.html',
    ],
    [
      '401',
      { unauthorized: ['default/component/checkout-service'] },
      'AuthenticationError',
      /did not accept the credentials passed on for you/,
    ],
  ])(
    "maps %s to a Backstage error without the backend's internals",
    async (_status, options, name, message) => {
      const { client } = await setup(options);
      const error = await client
        .getFile({ ...site, name: 'checkout-service' }, 'index.html', {
          credentials,
        })
        .catch(e => e);
      expect(error.name).toBe(name);
      expect(error.message).toMatch(message);
      expect(error.message).not.toContain('/srv/techdocs');
    },
  );

  it('passes other failures on as a ResponseError, and fails when TechDocs cannot be reached', async () => {
    const { client } = await setup({
      broken: ['default/component/payment-service'],
    });
    const error = await client.getMetadata(site, { credentials }).catch(e => e);
    expect(error.name).toBe('ResponseError');
    expect(error.statusCode).toBe(500);
    const unreachable = createTechDocsClient({
      discovery: mockServices.discovery.mock({
        getBaseUrl: async () => 'http://127.0.0.1:9/api/techdocs',
      }),
      auth: mockServices.auth(),
    });
    await expect(
      unreachable.getMetadata(site, { credentials }),
    ).rejects.toThrow(/fetch failed/);
  });

  it.each([
    ['a build', { kind: 'build' as const, site: {} }, { status: 'updated' }],
    [
      'nothing to build',
      { kind: 'unchanged' as const },
      { status: 'unchanged' },
    ],
    [
      'a failed build',
      { kind: 'fail' as const, message: 'mkdocs: command not found' },
      { status: 'failed', message: 'mkdocs: command not found' },
    ],
  ])(
    'reads the outcome of %s from the event stream',
    async (_name, behaviour, outcome) => {
      const { client, fake: server } = await setup({
        sync: { 'default/component/payment-service': behaviour },
      });
      await expect(
        client.sync(site, { credentials, timeoutMs: 5000 }),
      ).resolves.toEqual(outcome);
      expect(server.requests[0]).toMatchObject({
        path: '/api/techdocs/sync/default/component/payment-service',
        accept: 'text/event-stream',
      });
    },
  );

  it('stops waiting for a build after the timeout', async () => {
    const { client } = await setup({
      sync: { 'default/component/payment-service': { kind: 'hang' } },
    });
    const started = Date.now();
    await expect(
      client.sync(site, { credentials, timeoutMs: 300 }),
    ).resolves.toEqual({ status: 'timeout' });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('gives up waiting when the caller cancels, as a cancellation', async () => {
    const { client } = await setup({
      sync: { 'default/component/payment-service': { kind: 'hang' } },
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await client
      .sync(site, { credentials, timeoutMs: 10_000, signal: controller.signal })
      .catch(e => e);
    expect(error.name).toBe('AbortError');
  });
});
