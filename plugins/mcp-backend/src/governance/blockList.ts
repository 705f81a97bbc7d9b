import {
  DatabaseService,
  LifecycleService,
  LoggerService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const TABLE = 'mcp_blocked_principals';

/** One blocked principal. */
export interface BlockEntry {
  /** A user entity ref (`user:default/jane`) or a service principal's subject. */
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
    principal: row.principal,
    reason: row.reason,
    blockedBy: row.blocked_by,
    blockedAt: toIso(row.blocked_at),
    expiresAt: row.expires_at === null ? null : toIso(row.expires_at),
  };
}

const isActive = (entry: BlockEntry, now: number) =>
  entry.expiresAt === null || Date.parse(entry.expiresAt) > now;

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
  #snapshot = new Map<string, BlockEntry>();
  #refreshFailing = false;

  static async create(options: {
    database: DatabaseService;
    logger: LoggerService;
    lifecycle: LifecycleService;
    refreshIntervalMs: number;
  }): Promise<BlockList> {
    const db = await options.database.getClient();
    if (!options.database.migrations?.skip) {
      await db.migrate.latest({
        directory: resolvePackagePath('@backstage-mcp/plugin-mcp-backend', 'migrations'),
      });
    }
    const blockList = new BlockList(db, options.logger);
    await blockList.refresh();
    const timer = setInterval(() => void blockList.refresh(), options.refreshIntervalMs);
    timer.unref();
    options.lifecycle.addShutdownHook(() => clearInterval(timer));
    return blockList;
  }

  private constructor(db: Knex, logger: LoggerService) {
    this.#db = db;
    this.#logger = logger;
  }

  /** The block in force for a principal, from the snapshot. */
  find(principal: string, now: number = Date.now()): BlockEntry | undefined {
    const entry = this.#snapshot.get(principal);
    return entry && isActive(entry, now) ? entry : undefined;
  }

  /** Every block in force, read from the database. */
  async list(now: number = Date.now()): Promise<BlockEntry[]> {
    const rows = await this.#db<BlockRow>(TABLE).select().orderBy('blocked_at', 'desc');
    return rows.map(toEntry).filter(entry => isActive(entry, now));
  }

  /** Blocks a principal, replacing any earlier block of it. */
  async block(entry: BlockEntry): Promise<BlockEntry> {
    await this.#db<BlockRow>(TABLE)
      .insert({
        principal: entry.principal,
        reason: entry.reason,
        blocked_by: entry.blockedBy,
        blocked_at: new Date(entry.blockedAt),
        expires_at: entry.expiresAt === null ? null : new Date(entry.expiresAt),
      })
      .onConflict('principal')
      .merge();
    await this.refresh();
    return entry;
  }

  /** Lifts a block; false when the principal was not blocked. */
  async unblock(principal: string): Promise<boolean> {
    const deleted = await this.#db(TABLE).where({ principal }).delete();
    await this.refresh();
    return deleted > 0;
  }

  /** Replaces the snapshot with the database's list. */
  async refresh(): Promise<void> {
    try {
      const rows = await this.#db<BlockRow>(TABLE).select();
      this.#snapshot = new Map(rows.map(row => [row.principal, toEntry(row)]));
      if (this.#refreshFailing) this.#logger.info('MCP block list readable again');
      this.#refreshFailing = false;
    } catch (error) {
      if (!this.#refreshFailing) {
        this.#logger.warn(
          `Could not read the MCP block list; the last one read stays in force: ${(error as Error).message}`,
        );
      }
      this.#refreshFailing = true;
    }
  }
}
