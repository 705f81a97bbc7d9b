import { mockServices } from '@backstage/backend-test-utils';
import { memoryCache } from './__testUtils__/templateRuns';
import { boundedCache } from './boundedCache';

/** A cache as Backstage's Redis client is while Redis is down: every command waits forever. */
function unresponsiveCache() {
  const never = () => new Promise<never>(() => {});
  const cache = mockServices.cache.mock({
    get: never,
    set: never,
    delete: never,
  });
  cache.withOptions.mockReturnValue(cache);
  return cache;
}

describe('boundedCache', () => {
  it('passes values and errors of a cache that answers through', async () => {
    const cache = boundedCache(memoryCache(), {
      logger: mockServices.logger.mock(),
      timeoutMs: 100,
    });
    await cache.set('key', { a: 1 });
    await expect(cache.get('key')).resolves.toEqual({ a: 1 });
    await cache.withOptions({ defaultTtl: 1000 }).delete('key');
    await expect(cache.get('key')).resolves.toBeUndefined();

    const failing = mockServices.cache.mock({
      get: async () => Promise.reject(new Error('WRONGTYPE')),
    });
    await expect(
      boundedCache(failing, { logger: mockServices.logger.mock() }).get('key'),
    ).rejects.toThrow('WRONGTYPE');
  });

  it('gives up on a cache that does not answer, with a message for the caller and one warning', async () => {
    const logger = mockServices.logger.mock();
    const cache = boundedCache(unresponsiveCache(), { logger, timeoutMs: 100 });
    const started = performance.now();
    const outcomes = await Promise.allSettled([
      cache.get('key'),
      cache.set('key', 1),
      cache.withOptions({ defaultTtl: 1000 }).delete('key'),
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({
        status: 'rejected',
        reason: {
          name: 'ServiceUnavailableError',
          message: expect.stringMatching(
            /^The portal's cache \(backend\.cache\) did not answer within 100 ms; nothing was kept or run/,
          ),
        },
      });
    }
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(
      /did not answer a get within 100 ms.*Check the cache server \(Redis or Valkey\)/,
    );
  });
});
