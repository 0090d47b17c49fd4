/**
 * Discovery benchmark: GET /api/events with filters at 10k and at 1M events.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/events-discovery.ts
 *   (no DATABASE_URL → the embedded PostgreSQL under .data/bench-pg)
 *
 * Creates two dedicated databases on that server (dropped at the end unless BENCH_KEEP=1), migrates
 * them, seeds one with 10k and then the other with 1M events, set-based with generate_series
 * (bench/seed-events.ts), and serves each through its own in-process app (bench/discovery-server.ts).
 * Each scenario's requests alternate between the two apps, so whatever else loads the machine
 * weighs on both sizes alike. Prints p50/p95 per scenario at both sizes and the p50 ratio.
 * Goal: p50 at 1M ≤ 1.5 × p50 at 10k. BENCH_SIZES=10000,1000000 and BENCH_RUNS=100 override.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { createMigrator } from '../src/db/migrate.js';
import { seedBase, seedEvents } from './seed-events.js';

const SIZES = (process.env.BENCH_SIZES ?? '10000,1000000').split(',').map(Number) as [number, number];
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

async function prepare(url: string, size: number): Promise<void> {
  const db = new Sequelize(url, { dialect: 'postgres', logging: false });
  try {
    await createMigrator(db).up();
    await seedBase(db);
    const t0 = Date.now();
    await seedEvents(db, 0, size, (done) => process.stdout.write(`\r[bench] seeded ${done.toLocaleString()} / ${size.toLocaleString()} events`));
    // One statement per query: a multi-statement string runs as one transaction, which VACUUM refuses.
    for (const table of ['event', 'event_interest_map', 'venue', 'auth_user']) await db.query(`VACUUM ANALYZE ${table}`);
    console.log(` (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  } finally {
    await db.close();
  }
}

function serve(url: string): Promise<{ base: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('bench/discovery-server.ts')], {
    env: { ...process.env, DATABASE_URL: url, JWT_SECRET: process.env.JWT_SECRET ?? crypto.randomBytes(32).toString('hex') },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      const port = /PORT (\d+)/.exec(chunk.toString())?.[1];
      if (port) resolve({ base: `http://127.0.0.1:${port}`, child });
    });
    child.once('exit', (code) => reject(new Error(`discovery server exited with ${code}`)));
  });
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
function get(url: string): Promise<{ ms: number; body: { results: unknown[]; next: string | null } }> {
  const t0 = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    http.get(url, { agent }, (res) => {
      let text = '';
      res.on('data', (c) => (text += c));
      res.on('end', () => {
        if (res.statusCode !== 200) return reject(new Error(`GET ${url} → ${res.statusCode}: ${text.slice(0, 300)}`));
        resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, body: JSON.parse(text) });
      });
    }).on('error', reject);
  });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
interface Result { p50: number; p95: number; rows: number }

/** Runs one scenario against every app, alternating which goes first, and returns per-app figures. */
async function measure(bases: string[], query: (base: string) => string): Promise<Result[]> {
  const times: number[][] = bases.map(() => []);
  const rows: number[] = bases.map(() => 0);
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const order = i % 2 === 0 ? bases.map((_, k) => k) : bases.map((_, k) => bases.length - 1 - k);
    for (const k of order) {
      const { ms, body } = await get(`${bases[k]}/api/events${query(bases[k]!)}`);
      rows[k] = body.results.length;
      if (i >= WARMUP) times[k]!.push(ms);
    }
  }
  return times.map((t, k) => {
    t.sort((a, b) => a - b);
    return { p50: percentile(t, 50), p95: percentile(t, 95), rows: rows[k]! };
  });
}

async function main(): Promise<void> {
  const server = await serverUrl();
  const admin = new pg.Client({ connectionString: withDatabase(server.url, 'postgres') });
  await admin.connect();
  const tag = crypto.randomBytes(3).toString('hex');
  const names = SIZES.map((size) => `loopin_bench_${tag}_${size}`);
  const children: ChildProcess[] = [];
  try {
    const bases: string[] = [];
    for (const [k, size] of SIZES.entries()) {
      await admin.query(`create database ${names[k]}`);
      console.log(`[bench] database ${names[k]}: ${size.toLocaleString()} events`);
      await prepare(withDatabase(server.url, names[k]!), size);
      const { base, child } = await serve(withDatabase(server.url, names[k]!));
      children.push(child);
      bases.push(base);
    }
    // The second page of each app's own listing (cursors are per database).
    const page2: Record<string, string> = {};
    for (const base of bases) page2[base] = (await get(`${base}/api/events?page_size=20`)).body.next!;
    const after = encodeURIComponent(new Date(Date.now() + 30 * 86_400_000).toISOString());
    const scenarios: Record<string, (base: string) => string> = {
      'no filter': () => '?page_size=20',
      'search=jazz': () => '?search=jazz',
      'city=pune': () => '?city=pune',
      'interest=music': () => '?interest=music',
      'is_paid=true': () => '?is_paid=true',
      'starts_after +30d': () => `?starts_after=${after}&ordering=start_time`,
      'cursor page 2': (base) => `?page_size=20&cursor=${page2[base]}`,
      'city+is_paid': () => '?city=pune&is_paid=true',
      // ~0.1% of listed events match: only a handful exist at 10k, so this row is not like-for-like.
      'city+interest+paid': () => '?city=pune&interest=music&is_paid=true',
    };
    const [small, large] = SIZES;
    console.log(`\n${RUNS} runs per scenario (after ${WARMUP} warm-up), requests alternating between the two databases`);
    console.log(`${'scenario'.padEnd(20)} ${`p50@${small}`.padStart(11)} ${`p95@${small}`.padStart(11)} ${`p50@${large}`.padStart(12)} ${`p95@${large}`.padStart(12)}  p50 ratio`);
    for (const [name, query] of Object.entries(scenarios)) {
      const [a, b] = (await measure(bases, query)) as [Result, Result];
      console.log(`${name.padEnd(20)} ${a.p50.toFixed(2).padStart(8)} ms ${a.p95.toFixed(2).padStart(8)} ms ${b.p50.toFixed(2).padStart(9)} ms ${b.p95.toFixed(2).padStart(9)} ms  ${(b.p50 / a.p50).toFixed(2).padStart(6)}×  (${a.rows}/${b.rows} rows)`);
    }
  } finally {
    agent.destroy();
    for (const child of children) child.kill('SIGTERM');
    if (!process.env.BENCH_KEEP) for (const name of names) await admin.query(`drop database if exists ${name} with (force)`);
    else console.log(`[bench] kept databases ${names.join(', ')}`);
    await admin.end();
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
