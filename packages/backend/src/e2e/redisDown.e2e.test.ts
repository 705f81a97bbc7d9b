import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
  ToolCallOutcome,
} from '@backstage-mcp/test-utils';
import { openSecretPage, userCookie } from './secretPage';
import { DemoBackend, DEMO_TOKENS } from './demoBackend';
import { backendProcess, processAlive } from './processes';
import { RedisServer, startRedisServer } from './redisServer';
import { ReplicaSet, sharedStorageFromEnv, startReplicas } from './replicas';

/**
 * Two replicas on a shared PostgreSQL and a Redis of this test's own, which
 * it kills mid-run (the shared Redis of scripts/test-services.sh keeps
 * serving the other tests). What must hold while Redis is down: MCP calls go
 * on, no process dies, the kill switch keeps its list, and what needs the
 * cache answers within a bound instead of hanging.
 */

const REFRESH_INTERVAL_MS = 1000;
/**
 * Every call must answer within this while Redis is down: the plugin's cache
 * timeout (3 s) plus room for a loaded 2-core CI machine.
 */
const CALL_BOUND_MS = 8000;

const auth = (token: string) => ({ Authorization: `Bearer ${token}` });
const text = (result: ToolCallOutcome) =>
  result.content.map(c => c.text ?? '').join('\n');
const SECRET_LINK = /(http:\/\/localhost:\d+\/api\/mcp\/secrets)\b/;
const DOCS_SITE = {
  ref: 'docs-site',
  values: { name: 'redis-down-handbook', owner: 'group:default/platform-team' },
};

/** Runs one request, failing it (not the whole suite) when it takes longer than the bound. */
async function bounded<T>(
  label: string,
  work: () => Promise<T>,
): Promise<{ value: T; ms: number }> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      work(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`${label} did not answer within ${CALL_BOUND_MS} ms`),
            ),
          CALL_BOUND_MS,
        );
      }),
    ]);
    return { value, ms: performance.now() - started };
  } finally {
    clearTimeout(timer);
  }
}

async function admin(
  replica: DemoBackend,
  method: 'PUT' | 'DELETE',
  principal: string,
  body?: object,
) {
  const response = await fetch(
    `${replica.baseUrl}/api/mcp/admin/blocks/${encodeURIComponent(principal)}`,
    {
      method,
      headers: {
        ...auth(DEMO_TOKENS.admin),
        'Content-Type': 'application/json',
      },
      body: body ? JSON.stringify(body) : undefined,
    },
  );
  return response.status;
}

describe('replicas on a shared PostgreSQL whose Redis is killed', () => {
  let redis: RedisServer | undefined;
  let set: ReplicaSet | undefined;
  const replicas = () => set!.replicas;

  beforeAll(async () => {
    const { postgresUrl } = sharedStorageFromEnv();
    redis = await startRedisServer();
    set = await startReplicas({
      count: 2,
      storage: { kind: 'shared', postgresUrl, redisUrl: redis.url },
      env: {
        APP_CONFIG_mcp_killSwitch_refreshInterval: JSON.stringify({
          milliseconds: REFRESH_INTERVAL_MS,
        }),
      },
    });
  }, 600_000);

  afterAll(async () => {
    // The replica set deletes its keys from Redis when it stops.
    if (redis && !redis.running) await redis.start();
    await set?.stop();
    await redis?.kill();
  }, 120_000);

  /** Reads over MCP on every replica and era, with the time each took. */
  async function readEverywhere(): Promise<string[]> {
    const timings: string[] = [];
    for (const replica of replicas()) {
      for (const era of PROTOCOL_ERAS) {
        const client: McpTestClient = await connectMcpClient(
          era,
          replica.mcpUrl,
          auth(DEMO_TOKENS.agent),
        );
        const tools = await bounded('tools/list', () => client.listTools());
        expect(tools.value.map(tool => tool.name)).toEqual(
          expect.arrayContaining(['whoami', 'catalog_get_entity']),
        );
        const whoami = await bounded('whoami', () =>
          client.callTool('whoami', {}),
        );
        expect(whoami.value.isError).toBeFalsy();
        const entity = await bounded('catalog_get_entity', () =>
          client.callTool('catalog_get_entity', { ref: 'checkout-service' }),
        );
        expect(entity.value.isError).toBeFalsy();
        timings.push(
          `replica ${
            replicas().indexOf(replica) + 1
          } ${era}: tools/list ${tools.ms.toFixed(
            0,
          )} ms, whoami ${whoami.ms.toFixed(
            0,
          )} ms, catalog_get_entity ${entity.ms.toFixed(0)} ms`,
        );
        await client.close();
      }
    }
    return timings;
  }

  it('goes on serving MCP, keeps the block list, bounds what needs the cache, and recovers with a restart', async () => {
    // Before: a blocked agent, and a secret link a user has not opened yet.
    expect(
      await admin(replicas()[0], 'PUT', 'scoped-agent', {
        reason: 'redis-down test',
      }),
    ).toBe(200);
    const agent = await connectMcpClient(
      '2025-11-25',
      replicas()[0].mcpUrl,
      auth(DEMO_TOKENS.agent),
    );
    const needsSecret = await agent.callTool(
      'scaffolder_run_template',
      DOCS_SITE,
    );
    expect(text(needsSecret)).toContain('needs secrets (apiToken)');
    const secretLink = SECRET_LINK.exec(text(needsSecret))![1];
    // The demo agent asks the guest (mcp.agents[].secretEntry.enteredBy).
    const guestCookie = await userCookie(
      replicas()[0].baseUrl,
      await replicas()[0].guestToken(),
    );
    expect((await openSecretPage(secretLink, guestCookie)).status).toBe(200);
    const before = await readEverywhere();

    // The backend processes (not only the CLIs that run them, which outlive a crash).
    const backendPids = replicas().map(
      replica => backendProcess(replica.processGroupId).pid,
    );
    const logs = replicas().map(replica => replica.logsSince());
    await redis!.kill();
    const outageStarted = performance.now();

    const during = await readEverywhere();
    // The kill switch keeps its list on every replica.
    for (const replica of replicas()) {
      const blocked = await connectMcpClient(
        '2026-07-28',
        replica.mcpUrl,
        auth(DEMO_TOKENS.scopedAgent),
      );
      // A block reaches the other replica within its refresh interval (2 s) plus one query.
      let refused = await bounded('whoami (blocked)', () =>
        blocked.callTool('whoami', {}),
      );
      for (
        let i = 0;
        i < 20 && !text(refused.value).includes('redis-down test');
        i++
      ) {
        await new Promise(resolve => setTimeout(resolve, 250));
        refused = await bounded('whoami (blocked)', () =>
          blocked.callTool('whoami', {}),
        );
      }
      expect({
        replica: replicas().indexOf(replica),
        answer: text(refused.value),
      }).toEqual({
        replica: replicas().indexOf(replica),
        answer: expect.stringMatching(/Reason given: "redis-down test"/),
      });
      await blocked.close();
    }

    // A template run that needs a secret keeps it in the cache: it answers
    // within the bound with what to do, and so does the secret page.
    const run = await bounded('scaffolder_run_template', () =>
      agent.callTool('scaffolder_run_template', DOCS_SITE),
    );
    expect(run.value.isError).toBe(true);
    expect(text(run.value)).toMatch(
      /^Service unavailable: The portal's cache \(backend\.cache\) did not answer within 3000 ms/,
    );
    const page = await bounded('secret page', () =>
      openSecretPage(secretLink, guestCookie),
    );
    expect(page.value.status).toBe(503);

    // Lifting the block still reaches the other replica: the list lives in PostgreSQL.
    expect(await admin(replicas()[0], 'DELETE', 'scoped-agent')).toBe(204);
    const unblocked = await connectMcpClient(
      '2026-07-28',
      replicas()[1].mcpUrl,
      auth(DEMO_TOKENS.scopedAgent),
    );
    let admitted = false;
    for (let i = 0; i < 40 && !admitted; i++) {
      admitted = !(await unblocked.callTool('whoami', {})).isError;
      if (!admitted) await new Promise(resolve => setTimeout(resolve, 250));
    }
    expect(admitted).toBe(true);
    await unblocked.close();
    expect(backendPids.filter(processAlive)).toEqual(backendPids);

    // Redis back, empty as after a crash. Backstage's Redis client does not
    // reconnect once it lost its connection (see README, Running several
    // replicas): what needs the cache still answers within the bound.
    await redis!.start();
    await new Promise(resolve => setTimeout(resolve, 3000));
    const afterReturn = await bounded('scaffolder_run_template', () =>
      agent.callTool('scaffolder_run_template', DOCS_SITE),
    );
    const cacheBackWithoutRestart = SECRET_LINK.test(text(afterReturn.value));
    await agent.close();
    expect(backendPids.filter(processAlive)).toEqual(backendPids);
    const printed = logs.map(since => since());

    console.log(
      [
        `[redis-down] before, with Redis:`,
        ...before,
        `[redis-down] without Redis (${(
          (performance.now() - outageStarted) /
          1000
        ).toFixed(1)} s in all):`,
        ...during,
        `scaffolder_run_template ${run.ms.toFixed(
          0,
        )} ms (Service unavailable), secret page ${page.ms.toFixed(
          0,
        )} ms (HTTP ${page.value.status})`,
        `[redis-down] Redis back for 3 s, no restart: the cache ${
          cacheBackWithoutRestart ? 'works again' : 'still does not answer'
        } (${afterReturn.ms.toFixed(0)} ms)`,
        `[redis-down] log lines per replica naming an uncaught exception: ${printed
          .map(out => (out.match(/Uncaught exception/g) ?? []).length)
          .join(', ')}`,
      ].join('\n  '),
    );

    // A restart of the replicas connects to Redis afresh.
    await set!.restart();
    const restarted = await connectMcpClient(
      '2025-11-25',
      replicas()[0].mcpUrl,
      auth(DEMO_TOKENS.agent),
    );
    const afterRestart = await bounded('scaffolder_run_template', () =>
      restarted.callTool('scaffolder_run_template', DOCS_SITE),
    );
    expect(text(afterRestart.value)).toMatch(SECRET_LINK);
    await restarted.close();
  }, 600_000);
});
