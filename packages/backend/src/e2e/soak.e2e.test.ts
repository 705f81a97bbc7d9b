import { monitorEventLoopDelay } from 'node:perf_hooks';
import {
  connectMcpClient,
  McpTestClient,
  PROTOCOL_ERAS,
} from '@backstage-mcp/test-utils';
import { DemoBackend, DEMO_TOKENS, startDemoBackend } from './demoBackend';
import { backendProcess } from './processes';

/**
 * Soak: many agents reading at once from one demo backend. Every call must
 * succeed, and the backend must not keep memory from the run: its resident
 * set after the run stays within 1.2x of what it was after a warm-up at the
 * same concurrency (which grows the heap to what this load needs).
 */

const CLIENTS = 64;
const WARMUP_CALLS = 2_000;
const CALLS = 10_000;
const MAX_RSS_GROWTH = 1.2;
/** Both measurements are taken after this much idle time, so that pending work settles and V8 may collect. */
const IDLE_MS = 5_000;
/**
 * Warm-up and run stop taking new calls this long after they start, and the
 * test then fails on the count, well within its timeout (every call has
 * the SDK's own 60 s timeout). On a 2-core machine shared with other test
 * runs, 12,000 calls took about 6 minutes.
 */
const CALLS_DEADLINE_MS = 660_000;
const TEST_TIMEOUT_MS = 900_000;

const auth = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

/** The mix of reads, each checked for success. */
const READS: Array<[string, (client: McpTestClient) => Promise<boolean>]> = [
  ['whoami', async c => !(await c.callTool('whoami', {})).isError],
  [
    'catalog_search',
    async c =>
      !(await c.callTool('catalog_search', { query: 'payment' })).isError,
  ],
  [
    'catalog_get_entity',
    async c =>
      !(await c.callTool('catalog_get_entity', { ref: 'checkout-service' }))
        .isError,
  ],
  [
    'catalog_get_owner',
    async c =>
      !(
        await c.callTool('catalog_get_owner', {
          ref: 'api:default/payment-api',
        })
      ).isError,
  ],
  [
    'api_get_spec',
    async c =>
      !(await c.callTool('api_get_spec', { ref: 'payment-api' })).isError,
  ],
  [
    'resources/read',
    async c =>
      (
        await c.readResource(
          'backstage://entity/component/default/checkout-service',
        )
      )[0]?.text?.includes('checkout-service') ?? false,
  ],
  [
    'tools/list',
    async c =>
      (await c.listTools()).some(tool => tool.name === 'catalog_get_entity'),
  ],
];

/** An error with its causes (fetch hides the network error in `cause`). */
function describeError(error: unknown): string {
  const parts: string[] = [];
  for (let e: any = error; e && parts.length < 4; e = e.cause) {
    parts.push(
      `${e.name ?? 'Error'}: ${e.message ?? e}${e.code ? ` (${e.code})` : ''}`,
    );
  }
  return parts.join(' <- ');
}

interface RunResult {
  done: number;
  errors: string[];
  latenciesMs: number[];
  durationMs: number;
}

/** Runs `total` reads spread over the clients, as many at once as there are clients. */
async function runReads(
  clients: McpTestClient[],
  total: number,
  deadline: number,
): Promise<RunResult> {
  const started = performance.now();
  const errors: string[] = [];
  const latenciesMs: number[] = [];
  let next = 0;
  await Promise.all(
    clients.map(async client => {
      while (next < total && performance.now() < deadline) {
        const [name, read] = READS[next++ % READS.length];
        const callStarted = performance.now();
        try {
          if (!(await read(client))) errors.push(`${name}: unexpected result`);
        } catch (error) {
          errors.push(`${name}: ${describeError(error)}`);
        }
        latenciesMs.push(performance.now() - callStarted);
      }
    }),
  );
  return {
    done: latenciesMs.length,
    errors,
    latenciesMs,
    durationMs: performance.now() - started,
  };
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
const idle = () => new Promise(resolve => setTimeout(resolve, IDLE_MS));

describe('soak: 64 agents reading from one demo backend', () => {
  let backend: DemoBackend;

  beforeAll(async () => {
    backend = await startDemoBackend({
      env: {
        // The demo's budgets (3,000 calls a minute) would refuse this run.
        APP_CONFIG_mcp_rateLimits_calls_limit: String(
          10 * (WARMUP_CALLS + CALLS),
        ),
        APP_CONFIG_demo_prebuildDocs: 'false',
        // Longer than Node's 5 s, as deployments behind a load balancer set
        // it: 64 SDK clients in this one process starve its event loop (up to
        // 2 s), so that undici, which closes idle connections 2 s before the
        // server's keep-alive timeout, sent requests on connections the
        // server was closing (1 or 2 ECONNRESET per 2,000 calls, with no
        // error on the server). The run measures the backend, not that race.
        APP_CONFIG_backend_server_keepAliveTimeout: '65000',
      },
    });
  }, 180_000);
  afterAll(async () => {
    await backend?.stop();
  }, 60_000);

  it(
    `answers ${CALLS} mixed reads without an error and keeps no memory from them`,
    async () => {
      const clients = await Promise.all(
        Array.from({ length: CLIENTS }, (_, i) =>
          connectMcpClient(
            PROTOCOL_ERAS[i % PROTOCOL_ERAS.length],
            backend.mcpUrl,
            auth,
          ),
        ),
      );
      const pid = backendProcess(backend.processGroupId).pid;
      const rssMb = () => backendProcess(backend.processGroupId).rssKb / 1024;

      const deadline = performance.now() + CALLS_DEADLINE_MS;
      const lag = monitorEventLoopDelay({ resolution: 20 });
      lag.enable();
      const logs = backend.logsSince();
      const warmup = await runReads(clients, WARMUP_CALLS, deadline);
      expect(warmup.errors.slice(0, 5)).toEqual([]);
      await idle();
      const rssAfterWarmup = rssMb();

      const run = await runReads(clients, CALLS, deadline);
      lag.disable();
      await idle();
      const rssAfterRun = rssMb();
      await Promise.all(clients.map(client => client.close()));

      const errorLines = logs()
        // eslint-disable-next-line no-control-regex
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split('\n')
        .filter(line => /^\S+ \S+ error /.test(line));
      const sorted = [...run.latenciesMs].sort((a, b) => a - b);
      console.log(
        `[soak] ${run.done} calls (${READS.map(([name]) => name).join(
          ', ',
        )}) by ${CLIENTS} clients in ` +
          `${(run.durationMs / 1000).toFixed(1)} s: ${(
            (run.done / run.durationMs) *
            1000
          ).toFixed(0)} calls/s, ` +
          `p50 ${percentile(sorted, 50).toFixed(1)} ms, p95 ${percentile(
            sorted,
            95,
          ).toFixed(1)} ms, ` +
          `${run.errors.length} errors; backend RSS ${rssAfterWarmup.toFixed(
            0,
          )} MB after ${WARMUP_CALLS} warm-up calls, ` +
          `${rssAfterRun.toFixed(0)} MB after the run (${(
            rssAfterRun / rssAfterWarmup
          ).toFixed(2)}x; both after ${IDLE_MS / 1000} s idle); ` +
          `warm-up ${(warmup.durationMs / 1000).toFixed(
            1,
          )} s; this process's event loop delay max ${(lag.max / 1e6).toFixed(
            0,
          )} ms; ` +
          `backend log lines at level error: ${errorLines.length}${
            errorLines.length ? `, e.g. ${errorLines[0]}` : ''
          }`,
      );
      expect(run.done).toBe(CALLS);
      expect(run.errors.slice(0, 5)).toEqual([]);
      expect(run.errors).toHaveLength(0);
      // The same backend process throughout.
      expect(backendProcess(backend.processGroupId).pid).toBe(pid);
      expect(rssAfterRun).toBeLessThanOrEqual(MAX_RSS_GROWTH * rssAfterWarmup);
    },
    TEST_TIMEOUT_MS,
  );
});
