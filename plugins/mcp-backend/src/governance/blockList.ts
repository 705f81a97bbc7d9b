import {
  DatabaseService,
  SchedulerService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import { migratedClient } from '../database/migrations';
import { principalKey } from './principals';

const TABLE = 'mcp_blocked_principals';

/** One blocked principal. */
export interface BlockEntry {
  /**
   * A user entity ref (`user:default/jane`, lowercase) or a service
   * principal's exact subject; see {@link principalKey}.
   */
  principal: string;
  reason: string;
  /** The principal that applied the block. */
  blockedBy: string;
  /** ISO 8601. */
  blockedAt: string;
  /** ISO 8601; null: until lifted. */
  expiresAt: string | null;
}

interface BlockRow {
  principal: string;
  reason: string;
  blocked_by: string;
  blocked_at: Date | string | number;
  expires_at: Date | string | number | null;
}

const toIso = (value: Date | string | number) => new Date(value).toISOString();

function toEntry(row: BlockRow): BlockEntry {
  return {
    principal: principalKey(row.principal),
    reason: row.reason,
    blockedBy: row.blocked_by,
    blockedAt: toIso(row.blocked_at),
    expiresAt: row.expires_at === null ? null : toIso(row.expires_at),
  };
}

const isActive = (entry: BlockEntry, now: number) =>
  entry.expiresAt === null || Date.parse(entry.expiresAt) > now;

/** Sort key: a block without expiry lasts longest, then later expiries. */
const lastsUntil = (entry: BlockEntry) =>
  entry.expiresAt === null
    ? Number.MAX_SAFE_INTEGER
    : Date.parse(entry.expiresAt);

/**
 * The blocks of each principal, longest-lasting first. Rows are keyed when
 * read rather than rewritten by a migration: earlier versions stored refs as
 * typed (User:Default/Jane), and a replica of such a version may still write
 * them during a rolling upgrade. Several spellings of one principal can
 * therefore coexist, and the one that lasts longest is in force.
 */
function byPrincipal(rows: BlockRow[]): Map<string, BlockEntry[]> {
  const grouped = new Map<string, BlockEntry[]>();
  for (const entry of rows.map(toEntry)) {
    grouped.set(entry.principal, [
      ...(grouped.get(entry.principal) ?? []),
      entry,
    ]);
  }
  for (const entries of grouped.values()) {
    entries.sort((a, b) => lastsUntil(b) - lastsUntil(a));
  }
  return grouped;
}

/**
 * The kill switch's block list, kept in the plugin's database (SQLite by
 * default, PostgreSQL in production), so it survives restarts and every
 * replica reads the same list.
 *
 * Checks are answered from a snapshot in memory, so that a call costs no
 * database round-trip: the snapshot is replaced every `refreshIntervalMs`
 * and at once on the replica that changes the list. A block therefore takes
 * effect immediately where it is applied and within one refresh interval
 * (plus one query) on every other replica. When a refresh fails, the last
 * snapshot stays in force: a database outage never lifts a block.
 */
export class BlockList {
  readonly #db: Knex;
  readonly #logger: LoggerService;
  #snapshot = new Map<string, BlockEntry[]>();
  #refreshFailing = false;
  /** Readings started and applied: an older reading never replaces a newer one. */
  #readingsStarted = 0;
  #readingApplied = 0;

  static async create(options: {
    database: DatabaseService;
    logger: LoggerService;
    scheduler: SchedulerService;
    refreshIntervalMs: number;
  }): Promise<BlockList> {
    const db = await migratedClient(options.database);
    const blockList = new BlockList(db, options.logger);
    await blockList.refresh();
    // Every replica keeps its own snapshot: a local task, on each of them.
    await options.scheduler.scheduleTask({
      id: 'mcp-block-list-refresh',
      scope: 'local',
      frequency: { milliseconds: options.refreshIntervalMs },
      timeout: {
        milliseconds: Math.max(options.refreshIntervalMs * 10, 30_000),
      },
      initialDelay: { milliseconds: options.refreshIntervalMs },
      fn: () => blockList.refresh(),
    });
    return blockList;
  }

  private constructor(db: Knex, logger: LoggerService) {
    this.#db = db;
    this.#logger = logger;
  }

  /** The block in force for a principal (any spelling of it), from the snapshot. */
  find(principal: string, now: number = Date.now()): BlockEntry | undefined {
    return this.#snapshot
      .get(principalKey(principal))
      ?.find(entry => isActive(entry, now));
  }

  /** Every block in force, one per principal, most recent first, read from the database. */
  async list(now: number = Date.now()): Promise<BlockEntry[]> {
    const rows = await this.#db<BlockRow>(TABLE).select();
    return [...byPrincipal(rows).values()]
      .map(entries => entries.find(entry => isActive(entry, now)))
      .filter((entry): entry is BlockEntry => entry !== undefined)
      .sort((a, b) => b.blockedAt.localeCompare(a.blockedAt));
  }

  /** Blocks a principal, replacing any earlier block of it, in any spelling. */
  async block(entry: BlockEntry): Promise<BlockEntry> {
    const principal = principalKey(entry.principal);
    await this.#db.transaction(async tx => {
      await this.#deleteSpellings(tx, principal);
      await tx<BlockRow>(TABLE)
        .insert({
          principal,
          reason: entry.reason,
          blocked_by: entry.blockedBy,
          blocked_at: new Date(entry.blockedAt),
          expires_at:
            entry.expiresAt === null ? null : new Date(entry.expiresAt),
        })
        // Another replica may block the same principal at the same time.
        .onConflict('principal')
        .merge();
    });
    await this.refresh();
    return { ...entry, principal };
  }

  /** Lifts a block in every spelling; false when the principal was not blocked. */
  async unblock(principal: string): Promise<boolean> {
    const deleted = await this.#db.transaction(tx =>
      this.#deleteSpellings(tx, principalKey(principal)),
    );
    await this.refresh();
    return deleted > 0;
  }

  /**
   * Deletes the rows of a principal however it was spelled. The list holds a
   * handful of rows, so they are keyed here rather than in SQL, where
   * lower() and collations differ between SQLite and PostgreSQL.
   */
  async #deleteSpellings(tx: Knex.Transaction, key: string): Promise<number> {
    const rows = await tx<BlockRow>(TABLE).select('principal');
    const spellings = rows
      .map(row => row.principal)
      .filter(p => principalKey(p) === key);
    return spellings.length
      ? tx(TABLE).whereIn('principal', spellings).delete()
      : 0;
  }

  /** Replaces the snapshot with the database's list. */
  async refresh(): Promise<void> {
    // A block's own refresh may overtake a scheduled one that read before it.
    const reading = ++this.#readingsStarted;
    try {
      const rows = await this.#db<BlockRow>(TABLE).select();
      if (reading < this.#readingApplied) return;
      this.#readingApplied = reading;
      this.#snapshot = byPrincipal(rows);
      if (this.#refreshFailing)
        this.#logger.info('MCP block list readable again');
      this.#refreshFailing = false;
    } catch (error) {
      if (!this.#refreshFailing) {
        this.#logger.warn(
          `Could not read the MCP block list; the last one read stays in force: ${
            (error as Error).message
          }`,
        );
      }
      this.#refreshFailing = true;
    }
  }
}
