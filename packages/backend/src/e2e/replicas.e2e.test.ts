import { connectMcpClient } from '@backstage-mcp/test-utils';
import { createClient } from '@redis/client';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { Client as PgClient } from 'pg';
import { DemoBackend, DEMO_TOKENS } from './demoBackend';
import {
  postgresDatabaseUrl,
  ReplicaSet,
  sharedStorageFromEnv,
  startReplicas,
} from './replicas';

/** Above startReplicas' own limit (5 minutes), so that a failed boot cleans up first. */
const BOOT_TIMEOUT_MS = 600_000;
const agentAuth = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

/** Reads checkout-service through the replica's MCP endpoint. */
async function getCheckoutServiceOverMcp(replica: DemoBackend) {
  const client = await connectMcpClient(
    '2025-11-25',
    replica.mcpUrl,
    agentAuth,
  );
  try {
    const result = await client.callTool('catalog_get_entity', {
      ref: 'checkout-service',
    });
    expect(result.isError).toBeFalsy();
    return (result.structuredContent as any).entity.ref as string;
  } finally {
    await client.close();
  }
}

/**
 * The uid the catalog gave checkout-service when it first ingested it: the
 * same wherever the catalog database is the same, a new one in a new database.
 */
async function checkoutServiceUid(replica: DemoBackend): Promise<string> {
  const response = await fetch(
    `${replica.baseUrl}/api/catalog/entities/by-name/component/default/checkout-service`,
    { headers: agentAuth },
  );
  expect(response.status).toBe(200);
  return (await response.json()).metadata.uid;
}

/** The process groups of the processes with an open TCP connection to the port. */
function processGroupsConnectedTo(port: number): Set<number> {
  const sockets = execFileSync(
    'ss',
    ['-tnpH', 'state', 'established', `( dport = :${port} )`],
    {
      encoding: 'utf8',
    },
  );
  const groups = new Set<number>();
  for (const [, pid] of sockets.matchAll(/pid=(\d+)/g)) {
    try {
      // /proc/<pid>/stat: "pid (comm) state ppid pgrp ...", comm may hold spaces.
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      groups.add(Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]));
    } catch {
      // the process is gone
    }
  }
  return groups;
}

async function withPostgres<T>(
  url: string,
  fn: (client: PgClient) => Promise<T>,
): Promise<T> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

describe('two demo backend replicas on a shared PostgreSQL and Redis', () => {
  let set: ReplicaSet | undefined;
  let redis: ReturnType<typeof createClient> | undefined;

  beforeAll(async () => {
    // Throws, and so fails every test below, when the services are not set up.
    const storage = sharedStorageFromEnv();
    redis = createClient({ url: storage.redisUrl });
    await redis.connect();
    set = await startReplicas({ count: 2, storage });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await set?.stop();
    await redis?.quit();
  }, 120_000);

  const storage = () => {
    if (set?.storage.kind !== 'shared')
      throw new Error('no shared replica set');
    return set.storage;
  };
  const portOf = (url: string) => Number(new URL(url).port);

  it('boots two replicas that each serve the catalog over MCP', async () => {
    expect(set!.replicas).toHaveLength(2);
    expect(new Set(set!.replicas.map(r => r.baseUrl)).size).toBe(2);
    for (const replica of set!.replicas) {
      expect(await getCheckoutServiceOverMcp(replica)).toBe(
        'component:default/checkout-service',
      );
    }
    // One catalog database: both replicas know the entity by the same uid.
    const [first, second] = await Promise.all(
      set!.replicas.map(checkoutServiceUid),
    );
    expect(first).toBe(second);
  });

  it('keeps every plugin database in PostgreSQL, under the prefix of the set', async () => {
    const prefix = set!.databasePrefix!;
    expect(prefix).toMatch(/^mcp_test_[0-9a-f]{8}_$/);
    const databases = await withPostgres(
      postgresDatabaseUrl(storage().postgresUrl, 'postgres'),
      async client =>
        (
          await client.query<{ datname: string }>(
            'SELECT datname FROM pg_database WHERE starts_with(datname, $1) ORDER BY 1',
            [prefix],
          )
        ).rows.map(row => row.datname),
    );
    expect(databases).toEqual(
      expect.arrayContaining(
        ['auth', 'catalog', 'events', 'scaffolder'].map(id => `${prefix}${id}`),
      ),
    );

    // The example catalog is in the catalog's PostgreSQL database.
    const catalog = set!.pluginDatabase('catalog');
    expect(catalog.client).toBe('pg');
    const stored = await withPostgres(
      (catalog as { url: string }).url,
      async client =>
        (
          await client.query(
            "SELECT entity_ref FROM final_entities WHERE entity_ref = 'component:default/checkout-service'",
          )
        ).rowCount,
    );
    expect(stored).toBe(1);

    // Both replica processes hold connections to that server.
    const connected = processGroupsConnectedTo(portOf(storage().postgresUrl));
    for (const replica of set!.replicas) {
      expect(connected).toContain(replica.processGroupId);
    }
  });

  it('caches in Redis under the namespace of the set, from both replicas', async () => {
    const namespace = set!.cacheNamespace!;
    expect(namespace).toMatch(/^mcp_test_[0-9a-f]{8}$/);
    // TechDocs caches the catalog entity it loads for a metadata request (for
    // 5 seconds) in the Backstage cache service.
    const keyPattern = `${namespace}:techdocs:*`;
    const cachedKeys = async () => {
      const keys: string[] = [];
      for await (const key of redis!.scanIterator({ MATCH: keyPattern }))
        keys.push(key);
      return keys;
    };
    for (const replica of set!.replicas) {
      for (const key of await cachedKeys()) await redis!.del(key);
      const response = await fetch(
        `${replica.baseUrl}/api/techdocs/metadata/entity/default/component/checkout-service`,
        { headers: agentAuth },
      );
      expect(response.status).toBe(200);
      // The cache write is not awaited by the request.
      let keys: string[] = [];
      for (let i = 0; i < 20 && keys.length === 0; i++) {
        keys = await cachedKeys();
        if (keys.length === 0)
          await new Promise(resolve => setTimeout(resolve, 100));
      }
      // Keys are `<namespace>:<pluginId>:<base64 of the plugin's key>`.
      const decoded = keys.map(key =>
        Buffer.from(
          key.slice(`${namespace}:techdocs:`.length),
          'base64',
        ).toString('utf8'),
      );
      expect(decoded).toEqual([
        expect.stringMatching(/^catalog:component:default\/checkout-service:/),
      ]);
    }

    const connected = processGroupsConnectedTo(portOf(storage().redisUrl));
    for (const replica of set!.replicas) {
      expect(connected).toContain(replica.processGroupId);
    }
  });

  it(
    'restarts both replicas on the same storage, and they serve the catalog again',
    async () => {
      const before = set!.replicas.map(r => ({
        url: r.baseUrl,
        group: r.processGroupId,
      }));
      const uid = await checkoutServiceUid(set!.replicas[0]);
      await set!.restart();
      const after = set!.replicas.map(r => ({
        url: r.baseUrl,
        group: r.processGroupId,
      }));
      expect(after.map(r => r.url)).toEqual(before.map(r => r.url));
      for (const [index, replica] of after.entries()) {
        expect(replica.group).not.toBe(before[index].group);
      }
      for (const replica of set!.replicas) {
        expect(await getCheckoutServiceOverMcp(replica)).toBe(
          'component:default/checkout-service',
        );
        expect(await checkoutServiceUid(replica)).toBe(uid);
      }
    },
    BOOT_TIMEOUT_MS,
  );
});

describe('one demo backend on embedded storage (SQLite files)', () => {
  let set: ReplicaSet | undefined;

  beforeAll(async () => {
    set = await startReplicas({ count: 1, storage: { kind: 'embedded' } });
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await set?.stop();
  }, 120_000);

  it(
    'keeps a SQLite file per plugin, serves the catalog, and still does after a restart',
    async () => {
      const directory = set!.sqliteDirectory!;
      expect(fs.readdirSync(directory)).toEqual(
        expect.arrayContaining(
          ['auth', 'catalog', 'events', 'scaffolder'].map(id => `${id}.sqlite`),
        ),
      );
      expect(set!.pluginDatabase('catalog')).toEqual({
        client: 'better-sqlite3',
        filename: `${directory}/catalog.sqlite`,
      });
      expect(await getCheckoutServiceOverMcp(set!.replicas[0])).toBe(
        'component:default/checkout-service',
      );

      const uid = await checkoutServiceUid(set!.replicas[0]);
      await set!.restart();
      expect(await getCheckoutServiceOverMcp(set!.replicas[0])).toBe(
        'component:default/checkout-service',
      );
      // The same catalog database: the entity kept its uid.
      expect(await checkoutServiceUid(set!.replicas[0])).toBe(uid);
    },
    BOOT_TIMEOUT_MS,
  );

  it('removes the SQLite directory on stop', async () => {
    const directory = set!.sqliteDirectory!;
    await set!.stop();
    expect(fs.existsSync(directory)).toBe(false);
    await set!.stop(); // twice is fine
  }, 120_000);
});

describe('harness guards', () => {
  it('names the variables and the script when the shared services are not set up', () => {
    expect(() => sharedStorageFromEnv({})).toThrow(
      /MCP_TEST_POSTGRES_URL and MCP_TEST_REDIS_URL are not set.*scripts\/test-services\.sh/s,
    );
    expect(() =>
      sharedStorageFromEnv({
        MCP_TEST_POSTGRES_URL: 'postgres://u:p@127.0.0.1:1',
      }),
    ).toThrow(/^MCP_TEST_REDIS_URL is not set/);
  });

  it('refuses several replicas on embedded storage', async () => {
    await expect(
      startReplicas({ count: 2, storage: { kind: 'embedded' } }),
    ).rejects.toThrow(/embedded storage .* serves one process/);
  });
});
