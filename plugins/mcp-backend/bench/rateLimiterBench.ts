/*
 * Benchmark: what the rate limiter costs a call, on SQLite in memory (the
 * default database) and on PostgreSQL (MCP_TEST_POSTGRES_URL, see
 * scripts/test-services.sh; a database of its own is created and dropped).
 *
 *   yarn workspace @backstage-mcp/plugin-mcp-backend bench
 *
 * Sequential takes measure the latency a call pays; concurrent takes (64 at
 * a time, as many agents at once) measure what one replica's pool sustains.
 */
import { knex as createKnex, Knex } from 'knex';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { RateLimiter } from '../src/governance/rateLimiter';
import { RateLimitStore } from '../src/governance/rateLimitStore';

const ITERATIONS = Number(process.env.BENCH_ITERATIONS ?? 2000);
const CONCURRENCY = 64;
const MINUTE = 60_000;
const logger = {
  warn: console.warn,
  info: console.info,
  error: console.error,
  debug() {},
  child: () => logger,
} as any;

function percentile(sorted: number[], p: number) {
  return sorted[
    Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))
  ];
}

async function measure(label: string, take: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 200; i++) await take(-1 - i);
  const samples: number[] = [];
  for (let i = 0; i < ITERATIONS; i++) {
    const started = performance.now();
    await take(i);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  const mean = samples.reduce((sum, s) => sum + s, 0) / samples.length;
  console.log(
    `${label.padEnd(62)} mean ${mean.toFixed(3)} ms  p50 ${percentile(
      samples,
      50,
    ).toFixed(3)} ms  p95 ${percentile(samples, 95).toFixed(3)} ms`,
  );
}

async function throughput(
  label: string,
  take: (i: number) => Promise<unknown>,
) {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ITERATIONS) await take(next++);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `${label.padEnd(62)} ${(ITERATIONS / seconds).toFixed(0)} takes/s`,
  );
}

async function bench(name: string, db: Knex) {
  await db.migrate.latest({
    directory: path.resolve(__dirname, '../migrations'),
  });
  const limiter = new RateLimiter({
    store: new RateLimitStore(db),
    logger,
    timeoutMs: 2000,
  });
  const roomy = {
    calls: { limit: 1e9, windowMs: MINUTE },
    writes: { limit: 1e9, windowMs: MINUTE },
  };
  const spent = { calls: { limit: 1, windowMs: MINUTE } };
  await limiter.take('spent-agent', spent, false);

  await measure(`${name}: read, one principal (calls)`, () =>
    limiter.take('agent', roomy, false),
  );
  await measure(`${name}: write (calls + writes, one transaction)`, () =>
    limiter.take('agent', roomy, true),
  );
  await measure(`${name}: refused (calls spent)`, () =>
    limiter.take('spent-agent', spent, false),
  );
  await measure(`${name}: read, a new principal every call (insert)`, i =>
    limiter.take(`agent-${name}-${i}`, roomy, false),
  );
  await throughput(
    `${name}: ${CONCURRENCY} concurrent reads, one principal`,
    () => limiter.take('hot-agent', roomy, false),
  );
  await throughput(
    `${name}: ${CONCURRENCY} concurrent reads, ${CONCURRENCY} principals`,
    i => limiter.take(`agent-${i % CONCURRENCY}`, roomy, false),
  );
}

async function main() {
  const sqlite = createKnex({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  try {
    await bench('SQLite in memory', sqlite);
  } finally {
    await sqlite.destroy();
  }

  const postgresUrl = process.env.MCP_TEST_POSTGRES_URL;
  if (!postgresUrl) {
    console.log(
      'MCP_TEST_POSTGRES_URL is not set: PostgreSQL not measured (see scripts/test-services.sh)',
    );
    return;
  }
  const database = `mcp_bench_${randomBytes(4).toString('hex')}`;
  const admin = createKnex({
    client: 'pg',
    connection: `${postgresUrl}/postgres`,
  });
  await admin.raw('CREATE DATABASE ??', [database]);
  // Knex's default pool size, which Backstage keeps unless backend.database.knexConfig changes it.
  const pg = createKnex({
    client: 'pg',
    connection: `${postgresUrl}/${database}`,
    pool: { min: 0, max: 10 },
  });
  try {
    await bench('PostgreSQL', pg);
  } finally {
    await pg.destroy();
    await admin.raw('DROP DATABASE ?? WITH (FORCE)', [database]);
    await admin.destroy();
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
