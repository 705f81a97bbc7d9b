import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthService } from '@backstage/backend-plugin-api';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { CallerCatalog } from './callerCatalog';
import { PluginTokenReuse } from './pluginTokenReuse';

const ENTITY = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { owner: 'group:default/payments', padding: 'x'.repeat(4000) },
};

/** A stand-in catalog that gzips when asked, as Backstage's root router does. */
async function startCatalog() {
  const seen: Array<{ url: string; encoding?: string; auth?: string }> = [];
  const server = http.createServer((req, res) => {
    seen.push({
      url: req.url!,
      encoding: req.headers['accept-encoding'],
      auth: req.headers.authorization,
    });
    const body = JSON.stringify(ENTITY);
    res.setHeader('content-type', 'application/json');
    if (/gzip/.test(req.headers['accept-encoding'] ?? '')) {
      res.setHeader('content-encoding', 'gzip');
      res.end(zlib.gzipSync(body));
    } else res.end(body);
  });
  await new Promise<void>(resolve => server.listen(0, '0.0.0.0', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    seen,
    port,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

describe('CallerCatalog', () => {
  let catalog: Awaited<ReturnType<typeof startCatalog>>;
  beforeAll(async () => {
    catalog = await startCatalog();
  });
  afterAll(() => catalog.close());
  beforeEach(() => {
    catalog.seen.length = 0;
  });

  function callerCatalog(host: string) {
    let issued = 0;
    const auth = {
      // A JWT-shaped token valid for an hour, distinct per issue.
      getPluginRequestToken: jest.fn(async () => {
        issued += 1;
        const exp = Math.floor(Date.now() / 1000) + 3600;
        const payload = Buffer.from(JSON.stringify({ exp, n: issued }));
        return { token: `e30.${payload.toString('base64url')}.sig` };
      }),
    };
    const discovery = {
      getBaseUrl: async () => `http://${host}:${catalog.port}/api/catalog`,
      getExternalBaseUrl: async () =>
        `http://${host}:${catalog.port}/api/catalog`,
    };
    return {
      auth,
      client: new CallerCatalog({
        discovery,
        tokens: new PluginTokenReuse(auth as unknown as AuthService),
      }),
    };
  }

  it('asks a plugin on loopback for an uncompressed answer', async () => {
    const { client } = callerCatalog('localhost');
    const entity = await client.getEntityByRef('component:default/checkout', {
      credentials: mockCredentials.service('external:agent'),
    });

    expect(entity?.metadata.name).toBe('checkout');
    expect(catalog.seen[0].encoding).toBe('identity');
  });

  it('keeps compression for a plugin on another host', async () => {
    // 127.0.0.2 is loopback too, but not a name this plugin treats as such:
    // it stands for a catalog deployed elsewhere.
    const { client } = callerCatalog('127.0.0.2');
    const entity = await client.getEntityByRef('component:default/checkout', {
      credentials: mockCredentials.service('external:agent'),
    });

    expect(entity?.spec?.owner).toBe('group:default/payments');
    expect(catalog.seen[0].encoding).toMatch(/gzip/);
  });

  it("sends the caller's token, issued once and reused", async () => {
    const { auth, client } = callerCatalog('127.0.0.1');
    const credentials = mockCredentials.service('external:agent');
    await client.getEntityByRef('component:default/checkout', { credentials });
    await client.getEntityByRef('component:default/checkout', { credentials });

    expect(auth.getPluginRequestToken).toHaveBeenCalledTimes(1);
    expect(auth.getPluginRequestToken).toHaveBeenCalledWith({
      onBehalfOf: credentials,
      targetPluginId: 'catalog',
    });
    expect(catalog.seen.map(s => s.auth)).toEqual([
      catalog.seen[0].auth,
      catalog.seen[0].auth,
    ]);
    expect(catalog.seen[0].auth).toMatch(/^Bearer e30\./);
  });
});
