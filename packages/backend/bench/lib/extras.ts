/*
 * The benchmark's other sections: search and TechDocs next to their REST
 * calls, and the cost of the governance checks (a second backend without
 * them, called alternately).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import YAML from 'yaml';
import { mcpCall, restCall } from './calls';
import { measureSequential, percentile, SequentialResult } from './measure';
import { processCpuMs } from './proc';

export interface BenchBackend {
  baseUrl: string;
  mcpUrl: string;
  pid: number;
}

/**
 * Builds one site through TechDocs' sync endpoint, which streams the build
 * log and ends when the site is published. The bench backend does not
 * prebuild every site (`demo.prebuildDocs: false`): MkDocs processes on the
 * same cores would skew the rows measured meanwhile.
 */
async function buildDocs(baseUrl: string, token: string, entityPath: string) {
  const response = await fetch(`${baseUrl}/api/techdocs/sync/${entityPath}`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
  });
  const log = await response.text();
  if (!response.ok || !/event: finish/.test(log)) {
    throw new Error(
      `TechDocs build of ${entityPath} failed: ${response.status} ${log.slice(
        -500,
      )}`,
    );
  }
}

/** The catalog collator runs 15 s after boot; the index follows shortly after. */
export async function waitForSearchIndex(baseUrl: string, token: string) {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const response = await fetch(
      `${baseUrl}/api/search/query?term=payment&types[0]=software-catalog`,
      {
        headers: { Authorization: `Bearer ${token}` },
      },
    );
    if (response.ok && (await response.json()).results.length > 0) return;
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  throw new Error('The search index had no catalog documents in time');
}

export interface ExtraRow extends SequentialResult {
  baseline: string;
}

/** `search` and `techdocs_get_page`, each after its REST call, sequential. */
export async function measureSearchAndDocs(
  backend: BenchBackend,
  token: string,
  options: { iterations: number; warmup: number },
): Promise<ExtraRow[]> {
  const rows: ExtraRow[] = [];
  const run = async (
    label: string,
    call: () => Promise<number>,
    baseline = label,
  ) =>
    rows.push({
      ...(await measureSequential(label, call, backend.pid, options)),
      baseline,
    });

  await waitForSearchIndex(backend.baseUrl, token);
  const searchRest = 'REST GET /api/search/query?term=payment&pageLimit=20';
  await run(
    searchRest,
    restCall(
      `${backend.baseUrl}/api/search/query?term=payment&pageLimit=20`,
      token,
    ),
  );
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    await run(
      `ours search (${era})`,
      mcpCall(backend.mcpUrl, token, era, 'search', {
        query: 'payment',
        limit: 20,
      }),
      searchRest,
    );
  }
  const docsUrl = `${backend.baseUrl}/api/techdocs/static/docs/default/component/payment-service/authentication/index.html`;
  await buildDocs(backend.baseUrl, token, 'default/component/payment-service');
  const docsRest = 'REST GET TechDocs page HTML';
  await run(docsRest, restCall(docsUrl, token));
  for (const era of ['2025-11-25', '2026-07-28'] as const) {
    const args = { ref: 'payment-service', path: '/authentication/' };
    await run(
      `ours techdocs_get_page (${era})`,
      mcpCall(backend.mcpUrl, token, era, 'techdocs_get_page', args),
      docsRest,
    );
  }
  return rows;
}

/**
 * The demo's app-config.yaml without its governance settings (agent scopes,
 * rate limits, field restrictions), for a second backend that measures
 * what those checks cost.
 */
export function ungovernedConfigFile(repoRoot: string): string {
  const config = YAML.parse(
    fs.readFileSync(path.join(repoRoot, 'app-config.yaml'), 'utf8'),
  );
  for (const key of ['agents', 'defaultAgent', 'rateLimits', 'redaction'])
    delete config.mcp[key];
  const file = path.join(
    fs.mkdtempSync(path.join(os.tmpdir(), 'bench-config-')),
    'app-config.yaml',
  );
  fs.writeFileSync(file, YAML.stringify(config));
  return file;
}

export interface GovernanceResult {
  governedP50: number;
  ungovernedP50: number;
  governedCpuMs: number;
  ungovernedCpuMs: number;
}

/**
 * catalog_get_entity on a governed and an ungoverned backend, call for call
 * alternately, so that both see the same machine load.
 */
export async function measureGovernance(
  governedBackend: BenchBackend,
  ungovernedBackend: BenchBackend,
  token: string,
  ref: string,
  iterations: number,
): Promise<GovernanceResult> {
  const governed = mcpCall(
    governedBackend.mcpUrl,
    token,
    '2026-07-28',
    'catalog_get_entity',
    { ref },
  );
  const ungoverned = mcpCall(
    ungovernedBackend.mcpUrl,
    token,
    '2026-07-28',
    'catalog_get_entity',
    { ref },
  );
  // The governed backend has served thousands of calls by now: warm the
  // other one as long as a measurement before comparing.
  for (let i = 0; i < iterations; i++) {
    await governed();
    await ungoverned();
  }
  const durations = { governed: [] as number[], ungoverned: [] as number[] };
  const cpuBefore = [
    processCpuMs(governedBackend.pid),
    processCpuMs(ungovernedBackend.pid),
  ];
  for (let i = 0; i < iterations; i++) {
    for (const [name, call] of [
      ['governed', governed],
      ['ungoverned', ungoverned],
    ] as const) {
      const started = performance.now();
      await call();
      durations[name].push(performance.now() - started);
    }
  }
  const cpuPerCall = (pid: number, before: number) =>
    (processCpuMs(pid) - before) / iterations;
  const p50 = (values: number[]) =>
    percentile(
      [...values].sort((a, b) => a - b),
      50,
    );
  return {
    governedP50: p50(durations.governed),
    ungovernedP50: p50(durations.ungoverned),
    governedCpuMs: cpuPerCall(governedBackend.pid, cpuBefore[0]),
    ungovernedCpuMs: cpuPerCall(ungovernedBackend.pid, cpuBefore[1]),
  };
}
