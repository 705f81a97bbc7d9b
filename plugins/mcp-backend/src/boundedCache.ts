import { CacheService, LoggerService } from '@backstage/backend-plugin-api';
import { ServiceUnavailableError } from '@backstage/errors';
import { withTimeout } from './withTimeout';

/** How long a cache operation may take before the plugin gives up on it. */
export const CACHE_TIMEOUT_MS = 3000;

/** How often, at most, an unresponsive cache is reported in the log. */
const WARNING_INTERVAL_MS = 60_000;

/**
 * The cache service with every operation bounded in time. Backstage's Redis
 * and Valkey clients queue commands while the server is unreachable and
 * retry to connect forever, so without a bound a request that touches the
 * cache would hang for as long as Redis is down. A timed-out operation
 * fails with a ServiceUnavailableError, whose message reaches the caller;
 * operators get a warning at most once a minute.
 */
export function boundedCache(
  cache: CacheService,
  options: { logger: LoggerService; timeoutMs?: number },
): CacheService {
  const timeoutMs = options.timeoutMs ?? CACHE_TIMEOUT_MS;
  const warnings = { lastAt: -Infinity };
  const bounded = <T>(operation: string, work: Promise<T>) =>
    withTimeout(work, timeoutMs, () => {
      const now = Date.now();
      if (now - warnings.lastAt >= WARNING_INTERVAL_MS) {
        warnings.lastAt = now;
        options.logger.warn(
          `The cache service (backend.cache) did not answer a ${operation} within ${timeoutMs} ms: ` +
            'template runs that need secrets cannot keep or read them until it does. Check the cache server (Redis or Valkey)',
        );
      }
      return new ServiceUnavailableError(
        `The portal's cache (backend.cache) did not answer within ${timeoutMs} ms; nothing was kept or run. ` +
          "Retry in a minute; if it persists, tell the portal's operators",
      );
    });

  const wrap = (inner: CacheService): CacheService => ({
    get: key => bounded('get', inner.get(key)),
    set: (key, value, setOptions) =>
      bounded('set', inner.set(key, value, setOptions)),
    delete: key => bounded('delete', inner.delete(key)),
    withOptions: cacheOptions => wrap(inner.withOptions(cacheOptions)),
  });
  return wrap(cache);
}
