import { LoggerService } from '@backstage/backend-plugin-api';
import { RateLimits } from '../config/rateLimitConfig';
import { budgetWindows, RateLimitStore } from './rateLimitStore';
import { withTimeout } from '../withTimeout';

/** A call refused because a budget is spent. */
export interface RateLimitRefusal {
  budget: keyof RateLimits;
  limit: number;
  windowMs: number;
  /** When the window ends and the budget is full again. */
  retryAfterMs: number;
}

/**
 * Why a call ran without its budgets checked: the store did not answer in
 * time (`timeout`), failed (`error`), or was already known to be failing
 * while another call checked whether it is back (`unavailable`).
 */
export type UncheckedBudgetCause = 'timeout' | 'error' | 'unavailable';

/** What the rate limiter decided for one call. */
export interface BudgetDecision {
  /** Present: the call may not run. */
  refusal?: RateLimitRefusal;
  /** Present: the call may run, but its budgets could not be checked (fail open). */
  unchecked?: UncheckedBudgetCause;
}

/** How often, at most, an unreachable store is reported in the log. */
const WARNING_INTERVAL_MS = 60_000;

class StoreTimeout extends Error {}

/**
 * Fixed-window call budgets per principal, counted in the plugin's database
 * (see {@link RateLimitStore}): exact across replicas. A refused call
 * consumes nothing; a principal without budgets costs no database work.
 *
 * A budget check waits at most `timeoutMs` for the database. When it does
 * not answer in time or fails, the call runs unchecked (fail open): budgets
 * protect capacity and cost, while the kill switch and permissions, which
 * are the security controls, do not depend on this store. Once a check has
 * failed, one call at a time checks whether the store is back and the
 * others run unchecked at once, so that an outage neither slows every call
 * down by `timeoutMs` nor piles up queries for the database to answer later.
 */
export class RateLimiter {
  readonly #store: RateLimitStore;
  readonly #logger: LoggerService;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  #failing = false;
  #probing = false;
  #lastWarningAt = -Infinity;
  /** Calls that ran unchecked since the last warning. */
  #uncheckedSinceWarning = 0;
  #uncheckedSinceFailure = 0;

  constructor(options: {
    store: RateLimitStore;
    logger: LoggerService;
    timeoutMs: number;
    now?: () => number;
  }) {
    this.#store = options.store;
    this.#logger = options.logger;
    this.#timeoutMs = options.timeoutMs;
    this.#now = options.now ?? Date.now;
  }

  /**
   * Takes one call from the principal's budgets (and from `writes` when the
   * call writes), or refuses it with the time to wait.
   */
  async take(
    principal: string,
    limits: RateLimits,
    writes: boolean,
  ): Promise<BudgetDecision> {
    const windows = budgetWindows(limits, writes, this.#now());
    if (!windows.length) return {};
    if (this.#failing && this.#probing)
      return this.#ranUnchecked('unavailable');
    const probe = this.#failing;
    this.#probing ||= probe;
    try {
      const spent = await withTimeout(
        this.#store.take(principal, windows),
        this.#timeoutMs,
        () => new StoreTimeout(),
      );
      this.#recovered();
      if (spent < 0) return {};
      const { budget, rate, windowEndsAt } = windows[spent];
      return {
        refusal: {
          budget,
          limit: rate.limit,
          windowMs: rate.windowMs,
          retryAfterMs: Math.max(windowEndsAt - this.#now(), 0),
        },
      };
    } catch (error) {
      this.#failing = true;
      const cause = error instanceof StoreTimeout ? 'timeout' : 'error';
      return this.#ranUnchecked(cause, error as Error);
    } finally {
      if (probe) this.#probing = false;
    }
  }

  #ranUnchecked(cause: UncheckedBudgetCause, error?: Error): BudgetDecision {
    this.#uncheckedSinceWarning += 1;
    this.#uncheckedSinceFailure += 1;
    const now = this.#now();
    if (error && now - this.#lastWarningAt >= WARNING_INTERVAL_MS) {
      const what =
        cause === 'timeout'
          ? `the plugin database did not answer within ${
              this.#timeoutMs
            } ms (mcp.rateLimits.storeTimeout)`
          : `the plugin database failed: ${error.message}`;
      this.#logger.warn(
        `Could not check MCP rate limits: ${what}. ${
          this.#uncheckedSinceWarning
        } call(s) ran without ` +
          'their budgets checked since the last warning, and calls keep running unchecked until it answers ' +
          "(the kill switch and permissions still apply). Check the plugin's database (backend.database)",
      );
      this.#lastWarningAt = now;
      this.#uncheckedSinceWarning = 0;
    }
    return { unchecked: cause };
  }

  #recovered() {
    if (!this.#failing) return;
    this.#failing = false;
    this.#logger.info(
      `MCP rate limits are checked again; ${
        this.#uncheckedSinceFailure
      } call(s) ran unchecked while the database could not be reached`,
    );
    this.#uncheckedSinceFailure = 0;
    this.#uncheckedSinceWarning = 0;
    this.#lastWarningAt = -Infinity;
  }
}
