/*
 * Latency, server CPU and throughput of calls against one backend process.
 */
import { performance } from 'node:perf_hooks';
import { Call } from './calls';
import { memoryMb, processCpuMs } from './proc';

export function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

const sortedCopy = (values: number[]) => [...values].sort((a, b) => a - b);

export interface SequentialResult {
  label: string;
  p50: number;
  p95: number;
  /** The backend process's CPU time (all threads) per call, in ms. */
  cpuPerCall: number;
  /** Size of the last response body. */
  bytes: number;
}

/** `iterations` sequential calls after `warmup` ones. */
export async function measureSequential(
  label: string,
  call: Call,
  pid: number,
  options: { iterations: number; warmup: number },
): Promise<SequentialResult> {
  for (let i = 0; i < options.warmup; i++) await call();
  const durations: number[] = [];
  let bytes = 0;
  const cpuBefore = processCpuMs(pid);
  for (let i = 0; i < options.iterations; i++) {
    const started = performance.now();
    bytes = await call();
    durations.push(performance.now() - started);
  }
  const cpuPerCall = (processCpuMs(pid) - cpuBefore) / options.iterations;
  const sorted = sortedCopy(durations);
  return {
    label,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    cpuPerCall,
    bytes,
  };
}

/**
 * Sequential calls of several kinds, interleaved in blocks: each round runs
 * `block` calls of every kind, starting with a different kind each round, so
 * that all kinds see the same machine load over the run. CPU is read around
 * each block, so work a call leaves behind (an audit write, a socket close)
 * lands in the next kind's block at most once per block.
 */
export async function measureInterleaved(
  rows: { label: string; call: Call }[],
  pid: number,
  options: { iterations: number; warmup: number; block: number },
): Promise<SequentialResult[]> {
  for (const row of rows)
    for (let i = 0; i < options.warmup; i++) await row.call();
  const state = rows.map(() => ({
    durations: [] as number[],
    cpuMs: 0,
    bytes: 0,
  }));
  const rounds = Math.ceil(options.iterations / options.block);
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < rows.length; k++) {
      const index = (round + k) % rows.length;
      const { call } = rows[index];
      const cpuBefore = processCpuMs(pid);
      for (let i = 0; i < options.block; i++) {
        const started = performance.now();
        state[index].bytes = await call();
        state[index].durations.push(performance.now() - started);
      }
      state[index].cpuMs += processCpuMs(pid) - cpuBefore;
    }
  }
  return rows.map((row, index) => {
    const { durations, cpuMs, bytes } = state[index];
    const sorted = sortedCopy(durations);
    return {
      label: row.label,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      cpuPerCall: cpuMs / durations.length,
      bytes,
    };
  });
}

export interface ThroughputResult {
  clients: number;
  /** Measured seconds, summed over the row's slices. */
  seconds: number;
  /** Calls completed within the measured windows. */
  calls: number;
  errors: number;
  firstError?: string;
  callsPerSecond: number;
  p50: number;
  p95: number;
  cpuPerCall: number;
  /** The backend's resident set right after the row's last slice, in MB. */
  rssMb: number;
}

interface Slice {
  window: number;
  completions: number[];
  errors: number;
  firstError?: string;
  cpuMs: number;
}

/**
 * `clients` concurrent callers, each calling again as soon as its answer is
 * in. The measured window opens once the load is steady (`warmupSeconds`
 * passed and every client had an answer, on average) and closes once
 * `seconds` passed and as many calls completed in it as there are clients;
 * only calls completed within it count, and CPU is read at its edges, so
 * neither the ramp-up nor the calls still in flight at the end skew the
 * rate, however slow a call is.
 */
async function loadSlice(
  call: Call,
  pid: number,
  clients: number,
  warmupSeconds: number,
  seconds: number,
): Promise<Slice> {
  const began = performance.now();
  const window = { start: NaN, end: NaN, cpuStart: NaN, cpuEnd: NaN };
  const completions: number[] = [];
  let warmupCalls = 0;
  let errors = 0;
  let firstError: string | undefined;
  const onCompletion = (ms?: number) => {
    const now = performance.now();
    if (Number.isNaN(window.start)) {
      warmupCalls += 1;
      if (warmupCalls >= clients && now - began >= warmupSeconds * 1000) {
        window.start = now;
        window.cpuStart = processCpuMs(pid);
      }
      return;
    }
    if (ms !== undefined) completions.push(ms);
    if (completions.length >= clients && now - window.start >= seconds * 1000) {
      window.end = now;
      window.cpuEnd = processCpuMs(pid);
    }
  };
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (Number.isNaN(window.end)) {
        const started = performance.now();
        try {
          await call();
          if (Number.isNaN(window.end))
            onCompletion(performance.now() - started);
        } catch (error) {
          errors += 1;
          firstError ??= String(error).slice(0, 300);
          if (Number.isNaN(window.end)) onCompletion();
        }
      }
    }),
  );
  return {
    window: (window.end - window.start) / 1000,
    completions,
    errors,
    firstError,
    cpuMs: window.cpuEnd - window.cpuStart,
  };
}

/**
 * Throughput of several kinds of call at one concurrency, interleaved: each
 * of `rounds` rounds runs a slice of every kind, so that all kinds see the
 * same machine load over the run. The clients run in this process and share
 * the machine with the backend.
 */
export async function measureThroughputInterleaved(
  calls: Call[],
  pid: number,
  options: {
    clients: number;
    seconds: number;
    warmupSeconds: number;
    rounds: number;
    firstRound?: number;
  },
): Promise<ThroughputResult[]> {
  const slices: Slice[][] = calls.map(() => []);
  const rss: number[] = calls.map(() => NaN);
  for (let round = 0; round < options.rounds; round++) {
    for (let k = 0; k < calls.length; k++) {
      const index = (round + (options.firstRound ?? 0) + k) % calls.length;
      slices[index].push(
        await loadSlice(
          calls[index],
          pid,
          options.clients,
          options.warmupSeconds,
          options.seconds / options.rounds,
        ),
      );
      rss[index] = memoryMb(pid).rss;
    }
  }
  return slices.map((own, index) => {
    const seconds = own.reduce((sum, s) => sum + s.window, 0);
    const durations = sortedCopy(own.flatMap(s => s.completions));
    const cpuMs = own.reduce((sum, s) => sum + s.cpuMs, 0);
    return {
      clients: options.clients,
      seconds,
      calls: durations.length,
      errors: own.reduce((sum, s) => sum + s.errors, 0),
      firstError: own.find(s => s.firstError)?.firstError,
      callsPerSecond: durations.length / seconds,
      p50: percentile(durations, 50) ?? NaN,
      p95: percentile(durations, 95) ?? NaN,
      cpuPerCall: durations.length ? cpuMs / durations.length : NaN,
      rssMb: rss[index],
    };
  });
}
