/**
 * Discovery benchmark: GET /api/events with filters at 10k and at 1M events.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/events-discovery.ts
 *   (no DATABASE_URL → the embedded PostgreSQL under .data/bench-pg)
 *
 * Creates a dedicated database on that server (dropped at the end unless BENCH_KEEP=1), migrates it,
 * seeds set-based with generate_series (hosts, venues in 20 cities, 22 interests, events with 1–3
 * interests each; ~70% of events listed: published + public + active), then measures each scenario
 * through the in-process app over HTTP. Prints p50/p95 per scenario at 10k and 1M and the ratio.
 * Goal: p50 at 1M ≤ 1.5 × p50 at 10k. BENCH_SIZES=10000,1000000 and BENCH_RUNS=100 override.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { seedBase, seedEvents } from './seed-events.js';

process.env.LOG_LEVEL ??= 'silent';
process.env.SCHEDULER = 'off';
process.env.JWT_SECRET ??= crypto.randomBytes(32).toString('hex');

const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 100);
const WARMUP = 25;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function serverUrl(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const { startEmbedded } = await import('../src/db/embedded.js');
  const server = await startEmbedded(path.resolve('.data/bench-pg'), { log: (l) => console.log(`[bench] ${l}`) });
  return { url: server.url('postgres'), stop: server.stop };
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

interface Result { p50: number; p95: number; rows: number }

async function measure(base: string, query: string): Promise<Result> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = (q: string) => new Promise<{ status: number; body: string }>((resolve, reject) => {
    http.get(`${base}/api/events${q}`, { agent }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const t0 = process.hrtime.bigint();
    const res = await get(query);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (res.status !== 200) throw new Error(`GET /api/events${query} → ${res.status}: ${res.body.slice(0, 300)}`);
    rows = (JSON.parse(res.body) as { results: unknown[] }).results.length;
    if (i >= WARMUP) times.push(ms);
  }
  agent.destroy();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p95: percentile(times, 95), rows };
}

async function scenarios(base: string): Promise<Record<string, string>> {
  const first = await new Promise<string>((resolve, reject) => {
    http.get(`${base}/api/events?page_size=20`, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve((JSON.parse(body) as { next: string }).next));
    }).on('error', reject);
  });
  const after = new Date(Date.now() + 30 * 86_400_000).toISOString();
  return {
    'no filter': '?page_size=20',
    'search=jazz': '?search=jazz',
    'city=pune': '?city=pune',
    'interest=music': '?interest=music',
    'is_paid=true': '?is_paid=true',
    'starts_after': `?starts_after=${encodeURIComponent(after)}&ordering=start_time`,
    'cursor page 2': `?page_size=20&cursor=${first}`,
    'city+interest+paid': '?city=pune&interest=music&is_paid=true',
  };
}

async function main(): Promise<void> {
  const server = await serverUrl();
  const dbName = `loopin_bench_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(server.url, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  const url = withDatabase(server.url, dbName);
  process.env.DATABASE_URL = url;
  console.log(`[bench] database ${dbName}`);

  const { connect, disconnect, sequelize } = await import('../src/db/connection.js');
  const { createMigrator } = await import('../src/db/migrate.js');
  const { buildApp } = await import('../src/app.js');
  connect(url, { poolMax: 10 });
  await createMigrator(sequelize()).up();
  await seedBase(sequelize());
  const app = await buildApp({ admin: false });
  const httpServer = http.createServer(app).listen(0, '127.0.0.1');
  await new Promise((r) => httpServer.once('listening', r));
  const base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;

  const table: Record<string, Record<number, Result>> = {};
  let seeded = 0;
  try {
    for (const size of SIZES) {
      const t0 = Date.now();
      await seedEvents(sequelize(), seeded, size, (done) => process.stdout.write(`\r[bench] seeded ${done.toLocaleString()} events`));
      seeded = size;
      // One statement per query: a multi-statement string runs as one transaction, which VACUUM refuses.
      for (const table of ['event', 'event_interest_map', 'venue']) await sequelize().query(`VACUUM ANALYZE ${table}`);
      console.log(`\n[bench] ${size.toLocaleString()} events ready in ${((Date.now() - t0) / 1000).toFixed(0)} s; measuring ${RUNS} runs per scenario`);
      for (const [name, query] of Object.entries(await scenarios(base))) {
        (table[name] ??= {})[size] = await measure(base, query);
        const r = table[name][size]!;
        console.log(`  ${name.padEnd(20)} p50 ${r.p50.toFixed(2).padStart(7)} ms  p95 ${r.p95.toFixed(2).padStart(7)} ms  (${r.rows} rows)`);
      }
    }
    const [small, large] = [SIZES[0]!, SIZES[SIZES.length - 1]!];
    console.log(`\nscenario              p50@${small}  p95@${small}  p50@${large}  p95@${large}  p50 ratio`);
    for (const [name, bySize] of Object.entries(table)) {
      const a = bySize[small]!;
      const b = bySize[large]!;
      console.log(`${name.padEnd(20)} ${a.p50.toFixed(2).padStart(10)} ${a.p95.toFixed(2).padStart(10)} ${b.p50.toFixed(2).padStart(10)} ${b.p95.toFixed(2).padStart(10)} ${(b.p50 / a.p50).toFixed(2).padStart(9)}×`);
    }
  } finally {
    httpServer.close();
    await disconnect();
    if (!process.env.BENCH_KEEP) await admin.query(`drop database if exists ${dbName} with (force)`);
    else console.log(`[bench] kept database ${dbName}`);
    await admin.end();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
