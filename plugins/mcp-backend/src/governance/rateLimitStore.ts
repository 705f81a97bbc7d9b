import { Knex } from 'knex';
import { createHash } from 'node:crypto';
import { RateLimit, RateLimits } from '../config/rateLimitConfig';

const TABLE = 'mcp_rate_limit_windows';

/** One budget of a call, in the fixed window the call falls into. */
export interface BudgetWindow {
  budget: keyof RateLimits;
  rate: RateLimit;
  /** Epoch ms. */
  windowStart: number;
  /** Epoch ms: when the budget is full again. */
  windowEndsAt: number;
}

/** The windows of the budgets a call takes from at `now`: `calls`, and `writes` for a call that writes. */
export function budgetWindows(
  limits: RateLimits,
  writes: boolean,
  now: number,
): BudgetWindow[] {
  const windows: BudgetWindow[] = [];
  for (const budget of writes
    ? (['calls', 'writes'] as const)
    : (['calls'] as const)) {
    const rate = limits[budget];
    if (!rate) continue;
    const windowStart = Math.floor(now / rate.windowMs) * rate.windowMs;
    windows.push({
      budget,
      rate,
      windowStart,
      windowEndsAt: windowStart + rate.windowMs,
    });
  }
  return windows;
}

function windowKey(principal: string, window: BudgetWindow): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        principal,
        window.budget,
        window.rate.windowMs,
        window.windowStart,
      ]),
    )
    .digest('hex');
}

/** Rolls back a transaction whose second budget was spent. */
class BudgetSpent extends Error {
  constructor(readonly index: number) {
    super('budget spent');
  }
}

/**
 * The counts of the rate-limit budgets in the plugin's database
 * (`mcp_rate_limit_windows`), shared by every replica that uses it.
 *
 * A call is counted by a conditional `UPDATE … SET used = used + 1 WHERE
 * window_key = ? AND used < limit`: the database locks the row, so however
 * many replicas count at once, the affected-row count admits exactly
 * `limit` calls per window. This holds on PostgreSQL, MySQL and SQLite,
 * unlike a read followed by a write.
 */
export class RateLimitStore {
  readonly #db: Knex;

  constructor(db: Knex) {
    this.#db = db;
  }

  /**
   * Counts one call in every window, or in none: returns the index of the
   * first spent budget, or -1 when the call was counted everywhere.
   */
  async take(principal: string, windows: BudgetWindow[]): Promise<number> {
    if (windows.length === 1) {
      return (await this.#countOne(this.#db, principal, windows[0])) ? -1 : 0;
    }
    // One transaction, so that a write refused by `writes` takes nothing
    // from `calls`. Budgets are always counted in the same order, so that
    // two transactions never wait for each other's rows (no deadlock).
    try {
      await this.#db.transaction(async trx => {
        for (const [index, window] of windows.entries()) {
          if (!(await this.#countOne(trx, principal, window)))
            throw new BudgetSpent(index);
        }
      });
      return -1;
    } catch (error) {
      if (error instanceof BudgetSpent) return error.index;
      throw error;
    }
  }

  /** Deletes the windows that ended before `endedBefore`; returns how many. */
  async deleteWindowsEndedBefore(endedBefore: Date): Promise<number> {
    return this.#db(TABLE).where('window_ends_at', '<', endedBefore).delete();
  }

  async #countOne(
    db: Knex | Knex.Transaction,
    principal: string,
    window: BudgetWindow,
  ) {
    const key = windowKey(principal, window);
    const increment = async () =>
      (await db(TABLE)
        .where('window_key', key)
        .andWhere('used', '<', window.rate.limit)
        .update({ used: db.raw('?? + 1', ['used']) })) === 1;
    // The row exists for every call of a window but the first: one statement.
    if (await increment()) return true;
    await db(TABLE)
      .insert({
        window_key: key,
        principal,
        budget: window.budget,
        window_ms: window.rate.windowMs,
        window_start: new Date(window.windowStart),
        window_ends_at: new Date(window.windowEndsAt),
        used: 0,
      })
      .onConflict('window_key')
      .ignore();
    return increment();
  }
}
