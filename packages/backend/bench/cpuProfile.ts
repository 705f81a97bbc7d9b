/*
 * CPU profile of the demo backend serving catalog_get_entity:
 *
 *   npm run bench:profile    (from the repository root)
 *
 * Boots the demo backend as `npm run bench` does, with a preload
 * (cpuProfilePreload.js) that runs V8's CPU profiler on signal, sends
 * PROFILE_WARMUP calls, profiles PROFILE_CALLS calls from PROFILE_CLIENTS
 * concurrent clients, and summarises the profile. See PROFILE.md for the
 * method and a summary.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_TOKENS, startDemoBackend } from '../src/e2e/demoBackend';
import { mcpCall } from './lib/calls';
import { ENTITY_REF } from './lib/comparison';
import { waitForSearchIndex } from './lib/extras';
import { backendPid, processCpuMs } from './lib/proc';
import { CpuProfile, summarizeProfile } from './lib/profileSummary';
import { requestsPerCall } from './lib/requestLog';

const CALLS = Number(process.env.PROFILE_CALLS ?? 3000);
const CLIENTS = Number(process.env.PROFILE_CLIENTS ?? 16);
const WARMUP = Number(process.env.PROFILE_WARMUP ?? 300);
/** The tool profiled, and its arguments as JSON. */
const TOOL = process.env.PROFILE_TOOL ?? 'catalog_get_entity';
const ARGS: object = process.env.PROFILE_ARGS
  ? JSON.parse(process.env.PROFILE_ARGS)
  : { ref: ENTITY_REF };
const ERA = (process.env.PROFILE_ERA ?? '2025-11-25') as
  | '2025-11-25'
  | '2026-07-28';

// Run from packages/backend; never bundled.
// eslint-disable-next-line no-restricted-syntax
const REPO_ROOT = path.resolve(__dirname, '../../..');

async function callsFromClients(
  call: () => Promise<number>,
  total: number,
  clients: number,
) {
  let started = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (started < total) {
        started += 1;
        await call();
      }
    }),
  );
}

async function waitForFile(file: string, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!fs.existsSync(file)) {
    if (Date.now() > deadline)
      throw new Error(`${file} was not written in time`);
    await new Promise(resolve => setTimeout(resolve, 200));
  }
}

async function main() {
  const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cpuprof-'));
  const backend = await startDemoBackend({
    env: {
      NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${path.join(
        __dirname,
        'cpuProfilePreload.js',
      )}`.trim(),
      BENCH_CPU_PROFILE_DIR: profileDir,
      APP_CONFIG_mcp_rateLimits_calls_limit: '100000000',
      APP_CONFIG_demo_prebuildDocs: 'false',
    },
  });
  const pid = backendPid(backend.processGroupId);
  const profilePath = path.join(profileDir, `backend.${pid}.cpuprofile`);
  let cpuMs: number;
  let wallMs: number;
  let requests: { request: string; perCall: number }[];
  try {
    await waitForSearchIndex(backend.baseUrl, DEMO_TOKENS.agent);
    const call = mcpCall(backend.mcpUrl, DEMO_TOKENS.agent, ERA, TOOL, ARGS);
    await callsFromClients(call, WARMUP, CLIENTS);
    process.kill(pid, 'SIGUSR2');
    await waitForFile(path.join(profileDir, `started.${pid}`), 10_000);
    const log = backend.logsSince();
    const cpuBefore = processCpuMs(pid);
    const started = performance.now();
    await callsFromClients(call, CALLS, CLIENTS);
    wallMs = performance.now() - started;
    cpuMs = processCpuMs(pid) - cpuBefore;
    process.kill(pid, 'SIGUSR2');
    // Request lines are logged when a response is finished.
    await new Promise(resolve => setTimeout(resolve, 500));
    requests = requestsPerCall(log(), CALLS);
    await waitForFile(profilePath, 60_000);
  } finally {
    await backend.stop();
  }

  const profile: CpuProfile = JSON.parse(fs.readFileSync(profilePath, 'utf8'));
  const summary = summarizeProfile(profile);

  const pct = (share: number) => `${(share * 100).toFixed(1)}%`;
  const lines = [
    `${CALLS} ${TOOL} calls (${ERA}), ${CLIENTS} clients, after ${WARMUP} warm-up calls: ${(
      wallMs / 1000
    ).toFixed(1)} s, ${((CALLS / wallMs) * 1000).toFixed(0)} calls/s`,
    `backend CPU (utime+stime, all threads, /proc): ${(cpuMs / CALLS).toFixed(
      2,
    )} ms/call; main-thread samples in the window: ${summary.samples}, busy ${(
      (summary.sampledMs - summary.idleMs) /
      CALLS
    ).toFixed(2)} ms/call, idle ${(summary.idleMs / 1000).toFixed(1)} s`,
    `HTTP requests the backend served per call: ${requests
      .map(r => `${r.perCall.toFixed(2)} x ${r.request}`)
      .join(', ')}`,
    '',
    '| category | self ms/call | self share | inclusive ms/call (on stack) |',
    '| --- | --- | --- | --- |',
    ...summary.byCategory.map(
      c =>
        `| ${c.category} | ${(c.selfMs / CALLS).toFixed(2)} | ${pct(
          c.selfShare,
        )} | ${(c.inclusiveMs / CALLS).toFixed(2)} |`,
    ),
    '',
    '| package | category | self share |',
    '| --- | --- | --- |',
    ...summary.byPackage
      .slice(0, 30)
      .map(p => `| ${p.pkg} | ${p.category} | ${pct(p.selfShare)} |`),
    '',
    '| function | where | counted for | self share |',
    '| --- | --- | --- | --- |',
    ...summary.topFunctions
      .slice(0, 30)
      .map(f => `| ${f.fn} | ${f.where} | ${f.pkg} | ${pct(f.selfShare)} |`),
  ];
  console.log(lines.join('\n'));
  const outFile =
    process.env.BENCH_OUT ??
    path.join(
      REPO_ROOT,
      'bench/results',
      `cpu-profile-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    );
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  fs.writeFileSync(
    outFile,
    JSON.stringify(
      {
        calls: CALLS,
        clients: CLIENTS,
        warmup: WARMUP,
        era: ERA,
        wallMs,
        cpuMsPerCall: cpuMs / CALLS,
        requestsPerCall: requests,
        loadavg: os.loadavg(),
        profile: profilePath,
        ...summary,
        byPackage: summary.byPackage.slice(0, 60),
        topFunctions: summary.topFunctions.slice(0, 100),
      },
      null,
      2,
    ),
  );
  console.log(
    `\nSummary as JSON: ${outFile}\nProfile (open in Chrome DevTools or speedscope): ${profilePath}`,
  );
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
