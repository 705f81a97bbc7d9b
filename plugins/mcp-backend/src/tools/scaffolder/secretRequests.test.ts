import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from '../../__testUtils__/templateRuns';
import { SecretCipher, SecretEntryKey } from './secretCipher';
import { SecretRequestStore } from './secretRequests';

const SECRET = 'hunter2-docs-host-token';
const cipherOf = (fill: number) =>
  new SecretCipher(SecretEntryKey.fromBase64(Buffer.alloc(32, fill).toString('base64'), 'test.key'));

/** A cache that remembers every value written to it, as Redis would hold it. */
function recordingCache() {
  const cache = memoryCache();
  const written: string[] = [];
  const recording: CacheService = {
    get: key => cache.get(key),
    delete: key => cache.delete(key),
    set: async (key, value, options) => {
      written.push(JSON.stringify(value));
      await cache.set(key, value, options);
    },
    withOptions: () => recording,
  };
  return { cache: recording, written };
}

const ask = (store: SecretRequestStore) =>
  store.create({
    principal: 'user:default/alice',
    templateRef: 'template:default/docs-site',
    fields: [{ name: 'apiToken', title: 'Docs host API token', description: 'Token for the docs host', required: true }],
  } as any);

describe('SecretRequestStore', () => {
  it('writes nothing to the cache in clear text: neither the secret nor the fields', async () => {
    const { cache, written } = recordingCache();
    const store = new SecretRequestStore(cache, cipherOf(1));
    const request = await ask(store);
    await store.fulfil(request.id, { apiToken: SECRET });
    expect((await store.get(request.id))?.secrets).toEqual({ apiToken: SECRET });

    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const clear of [SECRET, 'apiToken', 'Docs host API token', 'Token for the docs host']) {
      expect(written.join('\n')).not.toContain(clear);
    }
  });

  it('tells a replica with another key that it cannot read a request, without crashing or leaking', async () => {
    const { cache } = recordingCache();
    const request = await ask(new SecretRequestStore(cache, cipherOf(1)));
    const logger = mockServices.logger.mock();
    const otherReplica = new SecretRequestStore(cache, cipherOf(2), logger);

    await expect(otherReplica.get(request.id)).rejects.toThrow(
      expect.objectContaining({
        name: 'UnreadableSecretError',
        message: expect.stringContaining('every replica needs the same mcp.secretEntry.encryptionKey'),
      }),
    );
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('encrypted with another key'));
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(request.id);
  });
});
