/*
 * The benchmark's results as Markdown tables, to read on stdout and paste
 * into notes.
 */
import { ComparisonRow } from './comparison';
import { ExtraRow, GovernanceResult } from './extras';
import { SequentialResult, ThroughputResult } from './measure';
import { ToolsListStats } from './toolsList';

export interface ComparisonResult {
  group: ComparisonRow['group'];
  label: string;
  caller: ComparisonRow['caller'];
  /** HTTP requests the backend served per call, the call itself included. */
  requests: { request: string; perCall: number }[];
  sequential: SequentialResult;
  load: ThroughputResult[];
}

const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(2) : '-');
const int = (value: number) =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '-';

function table(header: string[], rows: string[][]) {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map(row => `| ${row.join(' | ')} |`),
  ].join('\n');
}

export function comparisonTable(
  results: ComparisonResult[],
  clientCounts: number[],
) {
  const first = (group: string) => results.find(r => r.group === group)!;
  const baseline = (group: string) => first(group).sequential.p50;
  const ratio = (value: number, base: number) =>
    Number.isFinite(value / base) ? `${(value / base).toFixed(2)}x` : 'n/a';
  const loadAt = (r: ComparisonResult, clients: number) =>
    r.load.find(l => l.clients === clients);
  return table(
    [
      'call',
      'caller',
      'p50 ms',
      'p95 ms',
      'p50 vs 1st row of group',
      'server CPU ms/call',
      'CPU vs 1st row',
      'HTTP requests in backend/call',
      ...clientCounts.map(c => `calls/s @${c}`),
      ...clientCounts.map(c => `calls/s vs 1st row @${c}`),
      ...clientCounts.map(c => `CPU ms/call @${c}`),
      `RSS MB after @${clientCounts[clientCounts.length - 1]}`,
      'errors under load',
      'response bytes',
    ],
    results.map(r => [
      r.label,
      r.caller,
      ms(r.sequential.p50),
      ms(r.sequential.p95),
      `${(r.sequential.p50 / baseline(r.group)).toFixed(2)}x`,
      ms(r.sequential.cpuPerCall),
      ratio(r.sequential.cpuPerCall, first(r.group).sequential.cpuPerCall),
      r.requests.reduce((sum, q) => sum + q.perCall, 0).toFixed(1),
      ...clientCounts.map(c => int(loadAt(r, c)?.callsPerSecond ?? NaN)),
      ...clientCounts.map(c =>
        ratio(
          loadAt(r, c)?.callsPerSecond ?? NaN,
          loadAt(first(r.group), c)?.callsPerSecond ?? NaN,
        ),
      ),
      ...clientCounts.map(c => ms(loadAt(r, c)?.cpuPerCall ?? NaN)),
      int(loadAt(r, clientCounts[clientCounts.length - 1])?.rssMb ?? NaN),
      String(r.load.reduce((sum, l) => sum + l.errors, 0)),
      int(r.sequential.bytes),
    ]),
  );
}

export function toolsListTable(stats: ToolsListStats[]) {
  return table(
    [
      'endpoint',
      'tools',
      'wire bytes',
      'body bytes',
      'model-visible bytes (name+description+inputSchema)',
      'full definitions bytes',
      'largest description (chars)',
      'SDK 1.x listTools p50 ms',
    ],
    stats.map(s => [
      s.endpoint,
      String(s.tools),
      `${int(s.wireBytes)} (${s.contentEncoding}${
        s.cacheControl ? `; Cache-Control: ${s.cacheControl}` : ''
      })`,
      int(s.bodyBytes),
      int(s.modelVisibleBytes),
      int(s.definitionBytes),
      `${int(s.largestDescription.chars)} (${s.largestDescription.tool})`,
      ms(s.sdkListToolsP50Ms),
    ]),
  );
}

export function extrasTable(rows: ExtraRow[]) {
  const baseline = (label: string) => rows.find(r => r.label === label)!.p50;
  return table(
    [
      'call',
      'p50 ms',
      'p95 ms',
      'p50 vs its REST call',
      'server CPU ms/call',
      'response bytes',
    ],
    rows.map(r => [
      r.label,
      ms(r.p50),
      ms(r.p95),
      `${(r.p50 / baseline(r.baseline)).toFixed(2)}x`,
      ms(r.cpuPerCall),
      int(r.bytes),
    ]),
  );
}

export function governanceLines(g: GovernanceResult, iterations: number) {
  return [
    `Governance checks on catalog_get_entity (2026-07-28, demo agent, ${iterations} alternating calls per backend after as many warm-up calls):`,
    `  with (agent scope, rate limits, field restrictions, block list): p50 ${ms(
      g.governedP50,
    )} ms, server CPU ${ms(g.governedCpuMs)} ms/call`,
    `  without (a second demo backend, same config minus mcp.agents, rateLimits, redaction): p50 ${ms(
      g.ungovernedP50,
    )} ms, server CPU ${ms(g.ungovernedCpuMs)} ms/call`,
    `  overhead: p50 ${ms(g.governedP50 - g.ungovernedP50)} ms, CPU ${ms(
      g.governedCpuMs - g.ungovernedCpuMs,
    )} ms per call`,
  ];
}
