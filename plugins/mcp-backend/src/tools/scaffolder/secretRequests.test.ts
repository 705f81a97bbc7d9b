import { CacheService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from '../../__testUtils__/templateRuns';
import { SecretCipher, SecretEntryKey } from './secretCipher';
import { SecretRequest, SecretRequestStore } from './secretRequests';

const SECRET = 'hunter2-docs-host-token';
const cipherOf = (fill: number) =>
  new SecretCipher(
    SecretEntryKey.fromBase64(
      Buffer.alloc(32, fill).toString('base64'),
      'test.key',
    ),
  );

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

const ALICE = {
  userEntityRef: 'user:default/alice',
  ownershipEntityRefs: ['user:default/alice'],
};
const BOB = {
  userEntityRef: 'user:default/bob',
  ownershipEntityRefs: ['user:default/bob', 'group:default/sre'],
};

const ask = (
  store: SecretRequestStore,
  overrides: Partial<SecretRequest> = {},
) =>
  store.create({
    principal: 'user:default/alice',
    entrants: ['user:default/alice'],
    templateRef: 'template:default/docs-site',
    templateTitle: 'Documentation site',
    client: { name: 'Claude Code' },
    fields: [
      {
        name: 'apiToken',
        title: 'Docs host API token',
        description: 'Token for the docs host',
        required: true,
      },
    ],
    ...overrides,
  });

describe('SecretRequestStore', () => {
  it('writes nothing to the cache in clear text: neither the secret nor the fields', async () => {
    const { cache, written } = recordingCache();
    const store = new SecretRequestStore(cache, cipherOf(1));
    const request = await ask(store);
    await store.fulfil(request.id, { apiToken: SECRET }, ALICE);
    await store.waitingFor(ALICE);
    expect((await store.get(request.id))?.secrets).toEqual({
      apiToken: SECRET,
    });

    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const clear of [
      SECRET,
      'apiToken',
      'Docs host API token',
      'Token for the docs host',
      'Documentation site',
      'Claude Code',
      'alice',
    ]) {
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
        message: expect.stringContaining(
          'every replica needs the same mcp.secretEntry.encryptionKey',
        ),
      }),
    );
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('encrypted with another key'),
    );
    expect(JSON.stringify(logger.warn.mock.calls)).not.toContain(request.id);
  });

  it('takes one submission: a second one never overwrites', async () => {
    const store = new SecretRequestStore(memoryCache(), cipherOf(1));
    const request = await ask(store);
    expect(
      await store.fulfil(request.id, { apiToken: SECRET }, ALICE),
    ).toMatchObject({ outcome: 'saved' });
    expect(
      await store.fulfil(request.id, { apiToken: 'other' }, ALICE),
    ).toMatchObject({ outcome: 'already-entered' });
    expect((await store.get(request.id))?.secrets).toEqual({
      apiToken: SECRET,
    });
  });

  it('lets only the entrants enter, and tells others nothing exists', async () => {
    const store = new SecretRequestStore(memoryCache(), cipherOf(1));
    const forAlice = await ask(store);
    const forSre = await ask(store, {
      principal: 'service:release-bot',
      entrants: ['group:default/sre'],
    });
    expect(await store.fulfil(forAlice.id, { apiToken: 'x' }, BOB)).toEqual({
      outcome: 'not-found',
    });
    expect(await store.fulfil(forSre.id, { apiToken: 'x' }, ALICE)).toEqual({
      outcome: 'not-found',
    });
    expect((await store.waitingFor(ALICE)).requests.map(r => r.id)).toEqual([
      forAlice.id,
    ]);
    expect((await store.waitingFor(BOB)).requests.map(r => r.id)).toEqual([
      forSre.id,
    ]);
    expect(await store.fulfil(forSre.id, { apiToken: 'x' }, BOB)).toMatchObject(
      { outcome: 'saved' },
    );

    // A user's request is that user's alone, whatever refs another user's sign-in claims.
    const claimsAlice = {
      userEntityRef: 'user:default/eve',
      ownershipEntityRefs: ['user:default/eve', 'user:default/alice'],
    };
    expect((await store.waitingFor(claimsAlice)).requests).toEqual([]);
    expect(
      await store.fulfil(forAlice.id, { apiToken: 'x' }, claimsAlice),
    ).toEqual({ outcome: 'not-found' });
  });

  it("finds a principal's latest request for a template, and forgets it once used", async () => {
    const store = new SecretRequestStore(memoryCache(), cipherOf(1));
    const first = await ask(store);
    expect(
      (
        await store.latestFor(
          'user:default/alice',
          'template:default/docs-site',
        )
      )?.id,
    ).toBe(first.id);
    expect(
      await store.latestFor(
        'user:default/mallory',
        'template:default/docs-site',
      ),
    ).toBeUndefined();
    expect(
      await store.latestFor('user:default/alice', 'template:default/other'),
    ).toBeUndefined();

    await store.announce(first);
    expect((await store.waitingFor(ALICE)).requests).toHaveLength(1);

    await store.delete(first.id);
    expect(
      await store.latestFor('user:default/alice', 'template:default/docs-site'),
    ).toBeUndefined();
    expect((await store.waitingFor(ALICE)).requests).toEqual([]);
  });

  it('reports what another replica sealed with another key as unreadable, not as missing', async () => {
    const cache = memoryCache();
    await ask(new SecretRequestStore(cache, cipherOf(1)));
    const otherReplica = new SecretRequestStore(cache, cipherOf(2));
    expect(await otherReplica.waitingFor(ALICE)).toEqual({
      requests: [],
      unreadable: true,
    });
    await expect(
      otherReplica.latestFor(
        'user:default/alice',
        'template:default/docs-site',
      ),
    ).rejects.toThrow('encrypted with another key');
  });
});
