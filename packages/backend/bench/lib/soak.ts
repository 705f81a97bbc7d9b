/*
 * Soak: many clients at once, a mix of calls that succeed and calls that
 * must fail cleanly (an unknown tool, wrong argument types, an entity that
 * does not exist), with the backend's RSS sampled while it runs.
 */
import { performance } from 'node:perf_hooks';
import { memoryMb } from './proc';

type Outcome = 'ok' | 'tool error' | 'protocol error';

interface SoakCall {
  label: string;
  /** What a correct answer is for this call. */
  expected: Outcome;
  name: string;
  args: unknown;
}

const MIX: SoakCall[] = [
  { label: 'whoami', expected: 'ok', name: 'whoami', args: {} },
  {
    label: 'catalog_search',
    expected: 'ok',
    name: 'catalog_search',
    args: { query: 'payment' },
  },
  {
    label: 'catalog_get_entity',
    expected: 'ok',
    name: 'catalog_get_entity',
    args: { ref: 'checkout-service' },
  },
  {
    label: 'catalog_get_owner',
    expected: 'ok',
    name: 'catalog_get_owner',
    args: { ref: 'payment-service' },
  },
  {
    label: 'api_get_spec',
    expected: 'ok',
    name: 'api_get_spec',
    args: { ref: 'payment-api', max_chars: 2000 },
  },
  {
    label: 'unknown entity',
    expected: 'tool error',
    name: 'catalog_get_entity',
    args: { ref: 'component:default/does-not-exist' },
  },
  {
    label: 'wrong argument type',
    expected: 'tool error',
    name: 'catalog_search',
    args: { limit: 'many' },
  },
  {
    label: 'unknown tool',
    expected: 'protocol error',
    name: 'no_such_tool',
    args: {},
  },
];

export interface SoakResult {
  clients: number;
  calls: number;
  seconds: number;
  callsPerSecond: number;
  /** Per call kind: answered as expected, and anything else. */
  byLabel: Record<string, { expected: number; unexpected: number }>;
  /** Unexpected answers, first few, for the report. */
  unexpectedSamples: string[];
  rssMb: { start: number; max: number; end: number; samples: number[] };
}

async function callOnce(
  url: string,
  token: string,
  id: number,
  call: SoakCall,
): Promise<Outcome | string> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
      Accept: 'application/json, text/event-stream',
      'MCP-Protocol-Version': '2025-11-25',
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id,
      method: 'tools/call',
      params: { name: call.name, arguments: call.args },
    }),
  });
  const text = await response.text();
  if (response.status !== 200) return `HTTP ${response.status}`;
  const json = text.trimStart().startsWith('{')
    ? text
    : text
        .split('\n')
        .find(line => line.startsWith('data: '))
        ?.slice(6) ?? '';
  const message = JSON.parse(json);
  if (message.error) return 'protocol error';
  return message.result?.isError ? 'tool error' : 'ok';
}

export async function soak(options: {
  url: string;
  token: string;
  pid: number;
  clients: number;
  calls: number;
}): Promise<SoakResult> {
  const byLabel: SoakResult['byLabel'] = Object.fromEntries(
    MIX.map(c => [c.label, { expected: 0, unexpected: 0 }]),
  );
  const unexpectedSamples: string[] = [];
  const samples: number[] = [];
  const start = memoryMb(options.pid).rss;
  let sampleError: Error | undefined;
  const sampler = setInterval(() => {
    try {
      samples.push(memoryMb(options.pid).rss);
    } catch (error) {
      // The backend went away (a crash, or the CLI restarting it): the
      // soak ends with that error instead of a crash of the bench.
      sampleError = error as Error;
      clearInterval(sampler);
    }
  }, 1000);
  let issued = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < options.calls) {
      issued += 1;
      const n = issued;
      const call = MIX[n % MIX.length];
      let outcome: Outcome | string;
      try {
        outcome = await callOnce(options.url, options.token, n, call);
      } catch (error) {
        outcome = `failed: ${(error as Error).message}`;
      }
      if (outcome === call.expected) byLabel[call.label].expected += 1;
      else {
        byLabel[call.label].unexpected += 1;
        if (unexpectedSamples.length < 5)
          unexpectedSamples.push(`${call.label}: ${outcome}`);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.clients }, worker));
  } finally {
    clearInterval(sampler);
  }
  if (sampleError) {
    throw new Error(`The backend stopped during the soak: ${sampleError}`);
  }
  const seconds = (performance.now() - started) / 1000;
  const end = memoryMb(options.pid).rss;
  return {
    clients: options.clients,
    calls: options.calls,
    seconds,
    callsPerSecond: options.calls / seconds,
    byLabel,
    unexpectedSamples,
    rssMb: {
      start,
      max: Math.max(start, end, ...samples),
      end,
      samples,
    },
  };
}

export function soakLines(result: SoakResult): string[] {
  const every = Math.max(1, Math.ceil(result.rssMb.samples.length / 12));
  const unexpected = Object.values(result.byLabel).reduce(
    (sum, c) => sum + c.unexpected,
    0,
  );
  return [
    `Soak: ${result.calls} mixed calls from ${
      result.clients
    } clients in ${result.seconds.toFixed(
      0,
    )} s (${result.callsPerSecond.toFixed(
      0,
    )} calls/s); ${unexpected} answered other than expected.`,
    '',
    '| call | answered as expected | otherwise |',
    '| --- | --- | --- |',
    ...Object.entries(result.byLabel).map(
      ([label, c]) => `| ${label} | ${c.expected} | ${c.unexpected} |`,
    ),
    '',
    ...(result.unexpectedSamples.length
      ? [`First unexpected answers: ${result.unexpectedSamples.join('; ')}`, '']
      : []),
    `RSS (MB): ${result.rssMb.start.toFixed(
      0,
    )} at start, max ${result.rssMb.max.toFixed(0)}, ${result.rssMb.end.toFixed(
      0,
    )} at end; every ${every} s: ${result.rssMb.samples
      .filter((_, i) => i % every === 0)
      .map(v => v.toFixed(0))
      .join(', ')}`,
  ];
}
