/*
 * Benchmark: the MCP endpoint next to the catalog's own REST API, in the same
 * run, against the demo backend booted as a user boots it.
 *
 *   npm run bench            (from the repository root)
 *
 * Every request is a plain HTTP request from this process, sequential, so
 * latencies compare like for like; CPU is read from /proc for the backend's
 * process group, so it counts the server's work only.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import YAML from 'yaml';
import { performance } from 'node:perf_hooks';
import { DEMO_TOKENS, startDemoBackend } from '../src/e2e/demoBackend';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 300);
const WARMUP = 30;
const ENTITY = { kind: 'component', namespace: 'default', name: 'checkout-service' };
const AUTH = { Authorization: `Bearer ${DEMO_TOKENS.agent}` };

function groupCpuMs(pgid: number): number {
  const ticksPerSecond = 100;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc').filter(p => /^\d+$/.test(p))) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // fields[2] is pgrp, fields[11]/[12] are utime/stime (see proc(5)).
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between readdir and read
    }
  }
  return (ticks / ticksPerSecond) * 1000;
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

type Call = () => Promise<number>; // resolves to response bytes

function mcpCall(mcpUrl: string, era: '2025-11-25' | '2026-07-28', name: string, args: object): Call {
  let id = 0;
  return async () => {
    id += 1;
    const modern = era === '2026-07-28';
    const params: Record<string, unknown> = { name, arguments: args };
    if (modern) {
      params._meta = {
        'io.modelcontextprotocol/protocolVersion': era,
        'io.modelcontextprotocol/clientInfo': { name: 'bench', version: '1.0.0' },
        'io.modelcontextprotocol/clientCapabilities': {},
      };
    }
    const response = await fetch(mcpUrl, {
      method: 'POST',
      headers: {
        ...AUTH,
        'Content-Type': 'application/json',
        Accept: 'application/json, text/event-stream',
        'MCP-Protocol-Version': era,
        ...(modern ? { 'Mcp-Method': 'tools/call', 'Mcp-Name': name } : {}),
      },
      body: JSON.stringify({ jsonrpc: '2.0', id, method: 'tools/call', params }),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"isError":true')) {
      throw new Error(`MCP call failed: ${response.status} ${text.slice(0, 300)}`);
    }
    return Buffer.byteLength(text);
  };
}

function restCall(url: string): Call {
  return async () => {
    const response = await fetch(url, { headers: AUTH });
    const text = await response.text();
    if (!response.ok) throw new Error(`REST call failed: ${response.status}`);
    return Buffer.byteLength(text);
  };
}

async function measure(label: string, call: Call, pgid: number, baseline?: string) {
  for (let i = 0; i < WARMUP; i++) await call();
  const durations: number[] = [];
  let bytes = 0;
  const cpuBefore = groupCpuMs(pgid);
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    bytes = await call();
    durations.push(performance.now() - started);
  }
  const cpuPerCall = (groupCpuMs(pgid) - cpuBefore) / ITERATIONS;
  durations.sort((a, b) => a - b);
  return {
    label,
    baseline: baseline ?? label,
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
    cpuPerCall,
    bytes,
  };
}

async function toolsListBytes(mcpUrl: string) {
  const response = await fetch(mcpUrl, {
    method: 'POST',
    headers: { ...AUTH, 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
  });
  const text = await response.text();
  const json = text.split('\n').find(line => line.startsWith('data: '))!.slice(6);
  const { result } = JSON.parse(json);
  return { tools: result.tools.length, bytes: Buffer.byteLength(JSON.stringify(result)) };
}

/** The demo prebuilds its docs about 8 s after boot. */
async function waitForDocs(url: string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if ((await fetch(url, { headers: AUTH })).ok) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error('The demo docs were not built in time');
}

/** The catalog collator runs 3 s after boot; the index follows shortly after. */
async function waitForSearchIndex(baseUrl: string) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${baseUrl}/api/search/query?term=payment&types[0]=software-catalog`, {
      headers: AUTH,
    });
    if (response.ok && (await response.json()).results.length > 0) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error('The search index had no catalog documents in time');
}

/**
 * The demo's app-config.yaml without its governance settings (agent scopes,
 * rate limits, field restrictions), for a second backend that measures
 * what those checks cost.
 */
function ungovernedConfigFile(): string {
  const root = path.resolve(__dirname, '../../..');
  const config = YAML.parse(fs.readFileSync(path.join(root, 'app-config.yaml'), 'utf8'));
  for (const key of ['agents', 'defaultAgent', 'rateLimits', 'redaction']) delete config.mcp[key];
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-config-')), 'app-config.yaml');
  fs.writeFileSync(file, YAML.stringify(config));
  return file;
}

/**
 * catalog_get_entity on a governed and an ungoverned backend, call for call
 * alternately, so that both see the same machine load.
 */
async function measureGovernance(
  governedBackend: { mcpUrl: string; processGroupId: number },
  ungovernedBackend: { mcpUrl: string; processGroupId: number },
  ref: string,
) {
  const governed = mcpCall(governedBackend.mcpUrl, '2026-07-28', 'catalog_get_entity', { ref });
  const ungoverned = mcpCall(ungovernedBackend.mcpUrl, '2026-07-28', 'catalog_get_entity', { ref });
  // The governed backend has served thousands of calls by now: warm the
  // other one as long as a measurement before comparing.
  for (let i = 0; i < ITERATIONS; i++) {
    await governed();
    await ungoverned();
  }
  const durations = { governed: [] as number[], ungoverned: [] as number[] };
  const cpuBefore = [groupCpuMs(governedBackend.processGroupId), groupCpuMs(ungovernedBackend.processGroupId)];
  for (let i = 0; i < ITERATIONS; i++) {
    for (const [name, call] of [['governed', governed], ['ungoverned', ungoverned]] as const) {
      const started = performance.now();
      await call();
      durations[name].push(performance.now() - started);
    }
  }
  const cpuPerCall = (pgid: number, before: number) => (groupCpuMs(pgid) - before) / ITERATIONS;
  const p50 = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
  return {
    governedP50: p50(durations.governed),
    ungovernedP50: p50(durations.ungoverned),
    governedCpuMs: cpuPerCall(governedBackend.processGroupId, cpuBefore[0]),
    ungovernedCpuMs: cpuPerCall(ungovernedBackend.processGroupId, cpuBefore[1]),
  };
}

async function main() {
  const bootStarted = performance.now();
  // Budgets stay on (every call is counted in the cache), high enough that
  // the benchmark's own thousands of calls are never refused.
  const backend = await startDemoBackend({ env: { APP_CONFIG_mcp_rateLimits_calls_limit: '100000000' } });
  const bootSeconds = (performance.now() - bootStarted) / 1000;
  // Booted now, so that its start-up work (catalog processing, indexing) is
  // long done when the governance comparison runs; no docs prebuild, as the
  // comparison reads no docs.
  const ungovernedBackend = await startDemoBackend({
    configFiles: [ungovernedConfigFile()],
    env: { APP_CONFIG_demo_prebuildDocs: 'false' },
  });
  try {
    const pgid = backend.processGroupId;
    const restUrl = `${backend.baseUrl}/api/catalog/entities/by-name/${ENTITY.kind}/${ENTITY.namespace}/${ENTITY.name}`;
    const ref = `${ENTITY.kind}:${ENTITY.namespace}/${ENTITY.name}`;
    const results = [];
    const catalogRest = 'REST GET /entities/by-name';
    results.push(await measure(catalogRest, restCall(restUrl), pgid));
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      results.push(await measure(`MCP ${era} catalog_get_entity`, mcpCall(backend.mcpUrl, era, 'catalog_get_entity', { ref }), pgid, catalogRest));
      results.push(await measure(`MCP ${era} whoami`, mcpCall(backend.mcpUrl, era, 'whoami', {}), pgid, catalogRest));
    }
    await waitForSearchIndex(backend.baseUrl);
    const searchRest = 'REST GET /api/search/query?term=payment';
    results.push(await measure(searchRest, restCall(`${backend.baseUrl}/api/search/query?term=payment&pageLimit=20`), pgid));
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      results.push(await measure(`MCP ${era} search`, mcpCall(backend.mcpUrl, era, 'search', { query: 'payment', limit: 20 }), pgid, searchRest));
    }
    const docsUrl = `${backend.baseUrl}/api/techdocs/static/docs/default/component/payment-service/authentication/index.html`;
    await waitForDocs(docsUrl);
    const docsRest = 'REST GET TechDocs page HTML';
    results.push(await measure(docsRest, restCall(docsUrl), pgid));
    for (const era of ['2025-11-25', '2026-07-28'] as const) {
      const args = { ref: 'payment-service', path: '/authentication/' };
      results.push(await measure(`MCP ${era} techdocs_get_page`, mcpCall(backend.mcpUrl, era, 'techdocs_get_page', args), pgid, docsRest));
    }
    const baselineP50 = (label: string) => results.find(r => r.label === label)!.p50;
    const listing = await toolsListBytes(backend.mcpUrl);

    const governance = await measureGovernance(backend, ungovernedBackend, ref);

    const lines = [
      `Backend boot to catalog ready: ${bootSeconds.toFixed(1)} s`,
      `tools/list: ${listing.tools} tools, ${listing.bytes} bytes`,
      `${ITERATIONS} sequential calls each, after ${WARMUP} warm-up calls:`,
      '',
      '| call | p50 ms | p95 ms | p50 vs its REST call | server CPU ms/call | response bytes |',
      '| --- | --- | --- | --- | --- | --- |',
      ...results.map(r =>
        `| ${r.label} | ${r.p50.toFixed(2)} | ${r.p95.toFixed(2)} | ${(r.p50 / baselineP50(r.baseline)).toFixed(2)}x | ${r.cpuPerCall.toFixed(2)} | ${r.bytes} |`,
      ),
      '',
      `Governance checks on catalog_get_entity (2026-07-28, demo agent, ${ITERATIONS} alternating calls per backend after as many warm-up calls):`,
      `  with (agent scope, rate limits in the cache, field restrictions, block list): p50 ${governance.governedP50.toFixed(2)} ms, server CPU ${governance.governedCpuMs.toFixed(2)} ms/call`,
      `  without (a second demo backend, same config minus mcp.agents, rateLimits, redaction): p50 ${governance.ungovernedP50.toFixed(2)} ms, server CPU ${governance.ungovernedCpuMs.toFixed(2)} ms/call`,
      `  overhead: p50 ${(governance.governedP50 - governance.ungovernedP50).toFixed(2)} ms, CPU ${(governance.governedCpuMs - governance.ungovernedCpuMs).toFixed(2)} ms per call`,
    ];
    console.log(lines.join('\n'));
    const outDir = path.resolve(__dirname, '../../../bench/results');
    fs.mkdirSync(outDir, { recursive: true });
    fs.writeFileSync(
      path.join(outDir, `mcp-bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`),
      JSON.stringify({ bootSeconds, listing, iterations: ITERATIONS, results, governance }, null, 2),
    );
  } finally {
    await Promise.all([backend.stop(), ungovernedBackend.stop()]);
  }
}

main().catch(error => {
  console.error(error);
  process.exitCode = 1;
});
