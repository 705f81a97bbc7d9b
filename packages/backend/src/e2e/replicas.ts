// Test-only code (imported by *.e2e.test.ts only, never bundled): the clients
// it cleans up with are development dependencies.
// eslint-disable-next-line @backstage/no-undeclared-imports
import { createClient } from '@redis/client';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// eslint-disable-next-line @backstage/no-undeclared-imports
import { Client as PgClient } from 'pg';
import {
  DemoBackend,
  DemoBackendStartError,
  startDemoBackend,
} from './demoBackend';

/**
 * Where the replicas keep their state.
 *
 * - `shared`: every plugin's database in PostgreSQL and the cache in Redis,
 *   as a deployment with several replicas has them; any number of processes.
 * - `embedded`: SQLite files in a directory of its own and the default
 *   in-memory cache: one process, whose data survives a restart.
 */
export type ReplicaStorage =
  | { kind: 'shared'; postgresUrl: string; redisUrl: string }
  | { kind: 'embedded' };

export type SharedStorage = Extract<ReplicaStorage, { kind: 'shared' }>;

/** Where a plugin's database is, to read or change it from a test. */
export type PluginDatabase =
  | { client: 'pg'; database: string; url: string }
  | { client: 'better-sqlite3'; filename: string };

export interface ReplicaSet {
  /** The running backends, in start order (the same array, refilled by restart). */
  readonly replicas: DemoBackend[];
  readonly storage: ReplicaStorage;
  /**
   * shared: the `backend.database.prefix` of this set; each plugin has the
   * database `${databasePrefix}${pluginId}`.
   */
  readonly databasePrefix?: string;
  /**
   * shared: the Redis namespace of this set (`backend.cache.redis.client.namespace`);
   * a plugin's cache keys are `${cacheNamespace}:${pluginId}:${key}`.
   */
  readonly cacheNamespace?: string;
  /** embedded: the directory of the SQLite files, one `${pluginId}.sqlite` per plugin. */
  readonly sqliteDirectory?: string;
  /** Where the given plugin's database is. */
  pluginDatabase(pluginId: string): PluginDatabase;
  /**
   * Stops every replica, then starts them all again (in parallel, on the same
   * ports and the same storage) and waits until each serves the catalog.
   */
  restart(): Promise<void>;
  /**
   * Stops every replica and drops what the set created: its PostgreSQL
   * databases and Redis keys, or its SQLite directory. Safe to call twice and
   * after a failed start or restart.
   */
  stop(): Promise<void>;
}

export const POSTGRES_URL_VARIABLE = 'MCP_TEST_POSTGRES_URL';
export const REDIS_URL_VARIABLE = 'MCP_TEST_REDIS_URL';

/**
 * The shared storage that `scripts/test-services.sh` starts, from
 * MCP_TEST_POSTGRES_URL and MCP_TEST_REDIS_URL. Throws when they are unset:
 * tests that need shared state fail rather than skip.
 */
export function sharedStorageFromEnv(
  env: NodeJS.ProcessEnv = process.env,
): SharedStorage {
  const postgresUrl = env[POSTGRES_URL_VARIABLE];
  const redisUrl = env[REDIS_URL_VARIABLE];
  const missing = [
    ...(postgresUrl ? [] : [POSTGRES_URL_VARIABLE]),
    ...(redisUrl ? [] : [REDIS_URL_VARIABLE]),
  ];
  if (missing.length > 0 || !postgresUrl || !redisUrl) {
    throw new Error(
      `${missing.join(' and ')} ${
        missing.length > 1 ? 'are' : 'is'
      } not set: the tests with ` +
        'several backend replicas need a real PostgreSQL and a real Redis. Start them and export ' +
        'their URLs with `eval "$(bash scripts/test-services.sh)"` (as root, from the repository ' +
        `root), or set ${POSTGRES_URL_VARIABLE}=postgres://user:password@host:port (a role that may ` +
        `create databases) and ${REDIS_URL_VARIABLE}=redis://host:port yourself.`,
    );
  }
  return { kind: 'shared', postgresUrl, redisUrl };
}

/**
 * How a plugin fails to start when another process migrates the same
 * database at the same moment: Knex's migration lock is taken, or the other
 * process created a table (Knex's own migration tables included) between
 * this one's check and its CREATE TABLE. A failure matched by mistake only
 * costs a second start.
 */
const MIGRATION_RACE =
  /Migration table is already locked|already exists|pg_type_typname_nsp_index/;
const MAX_BOOT_ATTEMPTS = 3;

/**
 * How long starting the set (or restarting it) may take in all, retries
 * included: all replicas boot at once on 2 cores, each in 10 to 20 seconds
 * on an idle machine. Keep test timeouts above it, so that a boot that fails
 * stops its processes before Jest moves on.
 */
const DEFAULT_BOOT_TIMEOUT_MS = 300_000;

/**
 * Starts `count` demo backends (`backstage-cli package start`, as
 * startDemoBackend does) on the given storage (the first alone, then the others in parallel), and waits until
 * each serves the example catalog. The demo's TechDocs prebuild is off
 * (`demo.prebuildDocs: false`); `env` is added to every replica's environment
 * (e.g. `APP_CONFIG_...` overrides).
 */
export async function startReplicas(options: {
  count: number;
  storage: ReplicaStorage;
  env?: Record<string, string>;
  /** More environment for one replica (by index, in start order), e.g. another guest identity. */
  replicaEnv?: (index: number) => Record<string, string>;
  /**
   * Config files to load instead of the repository's app-config.yaml, e.g.
   * that file and one that unsets a key (the environment cannot: a null
   * `APP_CONFIG_` value is refused).
   */
  configFiles?: string[];
  /** How long the start, and each restart, may take in all (default 5 minutes). */
  timeoutMs?: number;
}): Promise<ReplicaSet> {
  const { count, storage } = options;
  const bootTimeoutMs = options.timeoutMs ?? DEFAULT_BOOT_TIMEOUT_MS;
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(
      `startReplicas: count must be a positive integer, got ${count}`,
    );
  }
  if (storage.kind === 'embedded' && count !== 1) {
    throw new Error(
      `startReplicas: embedded storage (SQLite files, in-memory cache) serves one process, got count ${count}; ` +
        'use shared storage (sharedStorageFromEnv()) for several replicas',
    );
  }

  const runId = randomBytes(4).toString('hex');
  const databasePrefix =
    storage.kind === 'shared' ? `mcp_test_${runId}_` : undefined;
  const cacheNamespace =
    storage.kind === 'shared' ? `mcp_test_${runId}` : undefined;
  const sqliteDirectory =
    storage.kind === 'embedded'
      ? fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-replica-sqlite-'))
      : undefined;

  const storageEnv: Record<string, string> =
    storage.kind === 'shared'
      ? {
          APP_CONFIG_backend_database_client: 'pg',
          APP_CONFIG_backend_database_connection: storage.postgresUrl,
          APP_CONFIG_backend_database_prefix: databasePrefix!,
          APP_CONFIG_backend_cache: JSON.stringify({
            store: 'redis',
            connection: storage.redisUrl,
            redis: { client: { namespace: cacheNamespace } },
          }),
        }
      : {
          APP_CONFIG_backend_database: JSON.stringify({
            client: 'better-sqlite3',
            connection: { directory: sqliteDirectory },
          }),
        };
  const env = {
    APP_CONFIG_demo_prebuildDocs: 'false',
    ...storageEnv,
    ...options.env,
  };

  const replicas: DemoBackend[] = [];
  /** The port of each replica, kept for restarts. */
  const ports: (number | undefined)[] = new Array(count).fill(undefined);
  let stopped = false;

  /**
   * Replicas that boot at once on fresh databases race to migrate them: the
   * loser's plugin fails (see MIGRATION_RACE) and its backend stops. An
   * orchestrator restarts such a replica; so does this.
   */
  const bootReplica = async (
    index: number,
    deadline: number,
  ): Promise<DemoBackend> => {
    const replicaEnv = { ...env, ...options.replicaEnv?.(index) };
    for (let attempt = 1; ; attempt++) {
      try {
        return await startDemoBackend({
          env: replicaEnv,
          port: ports[index],
          configFiles: options.configFiles,
          timeoutMs: Math.max(deadline - Date.now(), 1000),
        });
      } catch (error) {
        const lostMigrationRace =
          error instanceof DemoBackendStartError &&
          MIGRATION_RACE.test(error.output);
        if (
          !lostMigrationRace ||
          attempt >= MAX_BOOT_ATTEMPTS ||
          Date.now() > deadline - 10_000
        ) {
          throw error;
        }
        // eslint-disable-next-line no-console
        console.warn(
          `A demo backend replica lost the race to migrate the shared databases (attempt ${attempt}); starting it again`,
        );
      }
    }
  };

  let migrated = false;
  const bootAll = async () => {
    const deadline = Date.now() + bootTimeoutMs;
    // On fresh databases one replica migrates them alone first, as the first
    // pod of a rollout does: replicas that migrate at once can fail, and one
    // stopped while it holds Knex's migration lock leaves the lock taken for
    // every later start. Once migrated, all replicas start at once.
    const indexes = ports.map((_, index) => index);
    const waves = migrated
      ? [indexes]
      : [indexes.slice(0, 1), indexes.slice(1)];
    const results: Array<PromiseSettledResult<DemoBackend> | undefined> = [];
    for (const wave of waves) {
      const settled = await Promise.allSettled(
        wave.map(index => bootReplica(index, deadline)),
      );
      wave.forEach((index, position) => (results[index] = settled[position]));
      if (settled.some(result => result.status === 'rejected')) break;
    }
    migrated =
      results.length === count &&
      results.every(result => result?.status === 'fulfilled');
    results.forEach((result, index) => {
      if (!result) return;
      if (result.status === 'fulfilled') {
        replicas.push(result.value);
        ports[index] = Number(new URL(result.value.baseUrl).port);
      }
    });
    const failures = results.flatMap((result, index) =>
      result?.status === 'rejected'
        ? [`replica ${index + 1} of ${count}: ${result.reason}`]
        : [],
    );
    if (failures.length > 0) {
      throw new Error(
        `Could not start the demo backend replicas:\n${failures.join('\n\n')}`,
      );
    }
  };

  const stopAll = async () => {
    const running = replicas.splice(0, replicas.length);
    await Promise.all(running.map(replica => replica.stop()));
  };

  const dropStorage = async () => {
    if (storage.kind === 'shared') {
      await dropPostgresDatabases(storage.postgresUrl, databasePrefix!);
      await deleteRedisKeys(storage.redisUrl, `${cacheNamespace}:`);
    } else {
      fs.rmSync(sqliteDirectory!, { recursive: true, force: true });
    }
  };

  const set: ReplicaSet = {
    replicas,
    storage,
    databasePrefix,
    cacheNamespace,
    sqliteDirectory,
    pluginDatabase(pluginId) {
      if (storage.kind === 'shared') {
        const database = `${databasePrefix}${pluginId}`;
        return {
          client: 'pg',
          database,
          url: postgresDatabaseUrl(storage.postgresUrl, database),
        };
      }
      return {
        client: 'better-sqlite3',
        filename: path.join(sqliteDirectory!, `${pluginId}.sqlite`),
      };
    },
    async restart() {
      if (stopped) throw new Error('restart: the replica set was stopped');
      await stopAll();
      await bootAll();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      try {
        await stopAll();
      } finally {
        await dropStorage();
      }
    },
  };

  try {
    await bootAll();
  } catch (error) {
    await set.stop().catch(() => {});
    throw error;
  }
  return set;
}

/** The URL of one database of the server that `postgresUrl` names. */
export function postgresDatabaseUrl(
  postgresUrl: string,
  database: string,
): string {
  const url = new URL(postgresUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Drops every database whose name starts with the prefix (what one replica set created). */
async function dropPostgresDatabases(postgresUrl: string, prefix: string) {
  const client = new PgClient({
    connectionString: postgresDatabaseUrl(postgresUrl, 'postgres'),
  });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [prefix],
    );
    for (const { datname } of rows) {
      // FORCE ends connections a killed replica may have left behind.
      const drop = `DROP DATABASE IF EXISTS ${client.escapeIdentifier(
        datname,
      )} WITH (FORCE)`;
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(drop);
          break;
        } catch (error) {
          // Cleanup only: the names are unique to this run, so a database
          // left behind disturbs no other run. Said, not thrown.
          if (attempt >= 3) {
            // eslint-disable-next-line no-console
            console.warn(
              `Could not drop the test database ${datname}: ${
                (error as Error).message
              }`,
            );
            break;
          }
          await new Promise(resolve => setTimeout(resolve, 1000));
        }
      }
    }
  } finally {
    await client.end();
  }
}

/** Deletes every Redis key that starts with the prefix. */
async function deleteRedisKeys(redisUrl: string, prefix: string) {
  const client = createClient({ url: redisUrl });
  await client.connect();
  try {
    const keys: string[] = [];
    for await (const key of client.scanIterator({
      MATCH: `${prefix}*`,
      COUNT: 500,
    })) {
      keys.push(key);
    }
    for (let i = 0; i < keys.length; i += 500) {
      await client.del(keys.slice(i, i + 500));
    }
  } finally {
    await client.quit();
  }
}
