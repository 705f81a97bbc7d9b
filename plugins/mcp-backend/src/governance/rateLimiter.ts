import { CacheService } from '@backstage/backend-plugin-api';
import { RateLimit, RateLimits } from './rateLimitConfig';

/** A call refused because a budget is spent. */
export interface RateLimitRefusal {
  budget: keyof RateLimits;
  limit: number;
  windowMs: number;
  /** When the window ends and the budget is full again. */
  retryAfterMs: number;
}

interface CountedBudget {
  budget: keyof RateLimits;
  rate: RateLimit;
  key: string;
  windowEndsAt: number;
}

/**
 * Fixed-window call budgets per principal, counted in Backstage's cache
 * service: in memory by default, shared by every replica when the cache is
 * Redis or Valkey. A refused call consumes nothing.
 *
 * The cache service has no atomic increment, so a count is read, checked and
 * written. Calls of one principal are serialized within this process, so a
 * single replica never over-admits; replicas that update the same count
 * within one cache round-trip of each other can each admit one call more
 * than the limit.
 */
export class RateLimiter {
  readonly #cache: CacheService;
  readonly #now: () => number;
  /** The tail of the queue of calls per principal in this process. */
  readonly #queues = new Map<string, Promise<unknown>>();

  constructor(cache: CacheService, now: () => number = Date.now) {
    this.#cache = cache;
    this.#now = now;
  }

  /**
   * Takes one call from the principal's budgets (and from `writes` when the
   * call writes), or refuses it with the time to wait.
   */
  async take(
    principal: string,
    limits: RateLimits,
    writes: boolean,
  ): Promise<RateLimitRefusal | undefined> {
    const budgets = this.#budgetsFor(principal, limits, writes);
    if (!budgets.length) return undefined;
    return this.#serialized(principal, async () => {
      const counts = await Promise.all(
        budgets.map(async b => Number((await this.#cache.get<number>(b.key)) ?? 0)),
      );
      const spent = budgets.findIndex((b, index) => counts[index] >= b.rate.limit);
      if (spent >= 0) {
        const { budget, rate, windowEndsAt } = budgets[spent];
        return {
          budget,
          limit: rate.limit,
          windowMs: rate.windowMs,
          retryAfterMs: Math.max(windowEndsAt - this.#now(), 0),
        };
      }
      await Promise.all(
        budgets.map((b, index) =>
          // Kept a little past its window so that clock skew between
          // replicas cannot restart a count early.
          this.#cache.set(b.key, counts[index] + 1, { ttl: b.rate.windowMs + 5_000 }),
        ),
      );
      return undefined;
    });
  }

  #budgetsFor(principal: string, limits: RateLimits, writes: boolean): CountedBudget[] {
    const now = this.#now();
    const budgets: CountedBudget[] = [];
    for (const budget of writes ? (['calls', 'writes'] as const) : (['calls'] as const)) {
      const rate = limits[budget];
      if (!rate) continue;
      const window = Math.floor(now / rate.windowMs);
      budgets.push({
        budget,
        rate,
        key: `rate-limit:${budget}:${rate.windowMs}:${window}:${principal}`,
        windowEndsAt: (window + 1) * rate.windowMs,
      });
    }
    return budgets;
  }

  async #serialized<T>(principal: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(principal) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(work);
    this.#queues.set(principal, next);
    try {
      return await next;
    } finally {
      if (this.#queues.get(principal) === next) this.#queues.delete(principal);
    }
  }
}
