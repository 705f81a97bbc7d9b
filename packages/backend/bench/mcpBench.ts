/*
 * Benchmark: MCP next to the catalog's own REST API, in the same run,
 * against the demo backend booted as a user boots it (`backstage-cli
 * package start`), with Backstage's own MCP plugin
 * (@backstage/plugin-mcp-actions-backend) added to the same process.
 *
 *   npm run bench            (from the repository root)
 *
 * Every request is a plain HTTP request from this process. CPU and memory
 * are read from /proc for the backend process itself, so they count the
 * server's work only. Run counts are set by environment variables (see
 * OPTIONS below); the results are printed as Markdown and written as JSON.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_TOKENS, startDemoBackend } from '../src/e2e/demoBackend';
import {
  BENCH_USER_REF,
  comparisonRows,
  ENTITY_REF,
  waitForBridgedTools,
} from './lib/comparison';
import {
  BenchBackend,
  measureGovernance,
  measureSearchAndDocs,
  ungovernedConfigFile,
  waitForSearchIndex,
} from './lib/extras';
import {
  measureInterleaved,
  measureThroughputInterleaved,
  ThroughputResult,
} from './lib/measure';
import { backendPid, memoryMb } from './lib/proc';
import {
  ComparisonResult,
  comparisonTable,
  extrasTable,
  governanceLines,
  toolsListTable,
} from './lib/report';
import { requestsPerCall } from './lib/requestLog';
import { soak, soakLines, SoakResult } from './lib/soak';
import { toolsListStats } from './lib/toolsList';

const env = (name: string, fallback: string) => process.env[name] ?? fallback;
const OPTIONS = {
  /** Sequential calls per row. */
  iterations: Number(env('BENCH_ITERATIONS', '150')),
  /** Sequential calls per search and TechDocs row, and per backend in the governance comparison. */
  extraIterations: Number(env('BENCH_EXTRA_ITERATIONS', '100')),
  warmup: Number(env('BENCH_WARMUP', '30')),
  /** Calls per row in a row of the interleaved rounds. */
  block: Number(env('BENCH_BLOCK', '10')),
  /** Concurrent client counts for the throughput columns. */
  clients: env('BENCH_CLIENTS', '16,64').split(',').map(Number),
  /** Measured seconds per row and client count, split over BENCH_LOAD_ROUNDS interleaved slices. */
  loadSeconds: Number(env('BENCH_LOAD_SECONDS', '4')),
  loadRounds: Number(env('BENCH_LOAD_ROUNDS', '1')),
  /** Warm-up at the same concurrency before each slice. */
  loadWarmupSeconds: Number(env('BENCH_LOAD_WARMUP_SECONDS', '0.5')),
  /** 0 skips the search, TechDocs and governance sections. */
  extras: env('BENCH_EXTRAS', '1') !== '0',
  /** Mixed calls in the soak, from BENCH_SOAK_CLIENTS clients; 0 skips it. */
  soakCalls: Number(env('BENCH_SOAK_CALLS', '10000')),
  soakClients: Number(env('BENCH_SOAK_CLIENTS', '64')),
};

// Run from packages/backend by `npm run bench`; never bundled.
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = path.resolve(__dirname, '../../..');

async function main() {
  const loadBefore = os.loadavg();
  const bootStarted = performance.now();
  const [bench, ungoverned] = await Promise.all([
    startDemoBackend({
      env: {
        // Budgets stay on (every call is counted), high enough that the
        // benchmark's own calls are never refused.
        APP_CONFIG_mcp_rateLimits_calls_limit: '100000000',
        // Bridge the actions our native tools cover, to compare them.
        APP_CONFIG_mcp_actions_exclude: '[]',
        // Backstage's own MCP plugin in the same process (src/index.ts).
        MCP_BENCH_OFFICIAL_PLUGIN: '1',
        // Without OAuth client registration, which the benchmark does not
        // use: the official plugin then leaves the authorization-server
        // metadata URL to ours (the root router takes one owner per path).
        APP_CONFIG_auth_experimentalDynamicClientRegistration_enabled: 'false',
        APP_CONFIG_auth_clientIdMetadataDocuments_enabled: 'false',
        // A guest with a User entity, which the official who-am-i needs.
        APP_CONFIG_auth_providers_guest_userEntityRef: BENCH_USER_REF,
        // No MkDocs builds of every site in the background while rows are
        // measured; the TechDocs rows build the one site they read.
        APP_CONFIG_demo_prebuildDocs: 'false',
      },
    }),
    // The demo's config minus governance, with the default actions
    // exclusions: the governance comparison, and the tools/list a portal
    // with the demo's defaults serves. No docs prebuild: it reads no docs.
    startDemoBackend({
      configFiles: [ungovernedConfigFile(REPO_ROOT)],
      env: { APP_CONFIG_demo_prebuildDocs: 'false' },
    }),
  ]);
  const bootSeconds = (performance.now() - bootStarted) / 1000;
  /** Wall-clock seconds per phase, to size the run counts. */
  const phases: Record<string, number> = { boot: bootSeconds };
  let phaseStarted = performance.now();
  const phaseDone = (name: string) => {
    phases[name] = (performance.now() - phaseStarted) / 1000;
    phaseStarted = performance.now();
  };
  try {
    const benchBackend: BenchBackend = {
      ...bench,
      pid: backendPid(bench.processGroupId),
    };
    const ungovernedBackend: BenchBackend = {
      ...ungoverned,
      pid: backendPid(ungoverned.processGroupId),
    };
    const pid = benchBackend.pid;
    const userToken = await bench.guestToken();
    const rows = comparisonRows(bench.baseUrl, {
      agent: DEMO_TOKENS.agent,
      user: userToken,
    });
    await waitForBridgedTools(rows);
    // Start-up work done: the search collator has indexed the catalog.
    await waitForSearchIndex(bench.baseUrl, DEMO_TOKENS.agent);
    const memory: Record<string, { rss: number; peak: number }> = {
      afterBoot: memoryMb(pid),
    };

    const toolsList = [
      await toolsListStats(
        'ours /api/mcp (demo defaults: actions covered by native tools excluded)',
        ungoverned.mcpUrl,
        DEMO_TOKENS.agent,
      ),
      await toolsListStats(
        'ours /api/mcp (mcp.actions.exclude: [])',
        bench.mcpUrl,
        DEMO_TOKENS.agent,
      ),
      await toolsListStats(
        'official /api/mcp-actions/v1',
        `${bench.baseUrl}/api/mcp-actions/v1`,
        DEMO_TOKENS.agent,
      ),
    ];

    phaseDone('startup and tools/list');
    const sequential = await measureInterleaved(rows, pid, OPTIONS);
    memory.afterSequential = memoryMb(pid);
    phaseDone('sequential');

    // Which requests the backend serves per call, from its request log;
    // after the sequential rows, so that the search collators' start-up
    // runs are over.
    const requests: ReturnType<typeof requestsPerCall>[] = [];
    const settle = () => new Promise(resolve => setTimeout(resolve, 500));
    for (const row of rows) {
      await settle();
      const log = bench.logsSince();
      for (let i = 0; i < 10; i++) await row.call();
      await settle();
      requests.push(requestsPerCall(log(), 10));
    }
    phaseDone('request counts');

    const load: ThroughputResult[][] = rows.map(() => []);
    for (const [n, clients] of OPTIONS.clients.entries()) {
      const results = await measureThroughputInterleaved(
        rows.map(row => row.call),
        pid,
        {
          clients,
          seconds: OPTIONS.loadSeconds,
          warmupSeconds: OPTIONS.loadWarmupSeconds,
          rounds: OPTIONS.loadRounds,
          // Each client count starts with other rows, against drift in load.
          firstRound: Math.floor((n * rows.length) / OPTIONS.clients.length),
        },
      );
      results.forEach((result, index) => load[index].push(result));
      phaseDone(`load @${clients}`);
    }
    const comparison: ComparisonResult[] = rows.map((row, index) => ({
      group: row.group,
      label: row.label,
      caller: row.caller,
      requests: requests[index],
      sequential: sequential[index],
      load: load[index],
    }));
    memory.afterLoad = memoryMb(pid);

    const machine = () => {
      const [now] = os.loadavg();
      return `${
        os.cpus().length
      } CPUs, load average (1 min) ${loadBefore[0].toFixed(
        1,
      )} at start, ${now.toFixed(1)} now; Node ${process.version}`;
    };
    console.log(
      [
        `Machine: ${machine()}`,
        `Both backends booted to catalog ready in ${bootSeconds.toFixed(
          1,
        )} s (side by side)`,
        '',
        'tools/list (static agent token, 2025-11-25; wire = HTTP body as sent with Accept-Encoding: gzip):',
        '',
        toolsListTable(toolsList),
        '',
        `One backend process (pid ${pid}) serves every row. Sequential: ${OPTIONS.iterations} calls per row after ${OPTIONS.warmup} warm-up calls, interleaved in blocks of ${OPTIONS.block}.`,
        `Under load: ${OPTIONS.clients.join(
          ' and ',
        )} concurrent clients in this process, at least ${
          OPTIONS.loadSeconds
        } s measured per row in ${
          OPTIONS.loadRounds
        } slice(s), rows interleaved, each once the load is steady (${
          OPTIONS.loadWarmupSeconds
        } s and one answer per client) and until as many calls as clients completed; calls completed within the slices count.`,
        `"who am I" rows call as ${BENCH_USER_REF} (the official who-am-i refuses static tokens).`,
        '',
        comparisonTable(comparison, OPTIONS.clients),
        '',
        'HTTP requests the backend serves per call, the call itself included (from its request log):',
        ...comparison.map(
          r =>
            `- ${r.label}: ${r.requests
              .map(q => `${q.perCall.toFixed(1)} x ${q.request}`)
              .join(', ')}`,
        ),
        '',
        `Backend RSS (MB): ${Object.entries(memory)
          .map(([when, m]) => `${when} ${m.rss.toFixed(0)}`)
          .join(', ')}; peak ${memory.afterLoad.peak.toFixed(0)}`,
      ].join('\n'),
    );

    let extras;
    if (OPTIONS.extras) {
      const iterations = OPTIONS.extraIterations;
      const extraRows = await measureSearchAndDocs(
        benchBackend,
        DEMO_TOKENS.agent,
        { iterations, warmup: OPTIONS.warmup },
      );
      const governance = await measureGovernance(
        benchBackend,
        ungovernedBackend,
        DEMO_TOKENS.agent,
        ENTITY_REF,
        iterations,
      );
      extras = { rows: extraRows, governance };
      phaseDone('extras');
      console.log(
        [
          '',
          `Search and TechDocs (${iterations} sequential calls each, after ${OPTIONS.warmup} warm-up calls):`,
          '',
          extrasTable(extraRows),
          '',
          ...governanceLines(governance, iterations),
          '',
          `Machine at end: ${machine()}`,
        ].join('\n'),
      );
    }
    let soakResult: SoakResult | undefined;
    if (OPTIONS.soakCalls > 0) {
      soakResult = await soak({
        url: bench.mcpUrl,
        token: DEMO_TOKENS.agent,
        pid,
        clients: OPTIONS.soakClients,
        calls: OPTIONS.soakCalls,
      });
      phaseDone('soak');
      console.log(['', ...soakLines(soakResult)].join('\n'));
    }
    memory.end = memoryMb(pid);
    console.log(
      `\nPhases (s): ${Object.entries(phases)
        .map(([name, seconds]) => `${name} ${seconds.toFixed(0)}`)
        .join(', ')}`,
    );

    const outFile =
      process.env.BENCH_OUT ??
      path.join(
        REPO_ROOT,
        'bench/results',
        `mcp-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      );
    fs.mkdirSync(path.dirname(outFile), { recursive: true });
    fs.writeFileSync(
      outFile,
      JSON.stringify(
        {
          machine: {
            cpus: os.cpus().length,
            loadavgStart: loadBefore,
            loadavgEnd: os.loadavg(),
            node: process.version,
          },
          options: OPTIONS,
          bootSeconds,
          phases,
          toolsList,
          comparison,
          memory,
          extras,
          soak: soakResult,
        },
        null,
        2,
      ),
    );
    console.log(`\nResults as JSON: ${outFile}`);
  } catch (error) {
    // What the backends printed, to tell a restart (the CLI restarts the
    // backend when a file it loaded changes) from a crash or a signal.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-failed-'));
    fs.writeFileSync(path.join(dir, 'bench-backend.log'), bench.output());
    fs.writeFileSync(
      path.join(dir, 'ungoverned-backend.log'),
      ungoverned.output(),
    );
    console.error(`Backend logs: ${dir}`);
    throw error;
  } finally {
    await Promise.all([bench.stop(), ungoverned.stop()]);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
