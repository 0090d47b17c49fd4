/**
 * Discovery: GET /api/events (no filter, city, interest, search) on the production app, 32
 * keep-alive connections (autocannon), beside a bare node:http + pg server running the same
 * statement on the same database (bench/bare/discovery.mjs), in five interleaved slices each. Then
 * the page latency at the large size against a small database, requests interleaved between the
 * two so machine noise weighs on both alike. Sizes: --events (1,000,000; quick 2,000) and
 * --events-small (10,000; quick 200).
 */
import { cpuMs, startApp, startBare, type Child } from '../lib/app.js';
import { progress, scratchDatabase, seeder, vacuumAnalyze, withoutIndexes, type ScratchDatabase } from '../lib/db.js';
import { hammer, hammerInterleaved, percentile, timeGets } from '../lib/load.js';
import { keepPlans } from '../lib/plans.js';
import { seedBase, seedEvents } from '../lib/seed-events.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import { discoveryQuery } from '../../src/modules/events/discovery-query.js';

const QUERIES: Record<string, { qs: string; filters: Parameters<typeof discoveryQuery>[0] }> = {
  'no filter': { qs: '', filters: { ascending: false, page_size: 20 } },
  'city=pune': { qs: '?city=pune', filters: { city: 'pune', ascending: false, page_size: 20 } },
  'interest=music': { qs: '?interest=music', filters: { interest: 'music', ascending: false, page_size: 20 } },
  'search=jazz': { qs: '?search=jazz', filters: { search: 'jazz', ascending: false, page_size: 20 } },
};

async function seeded(opts: ScenarioOptions, size: number): Promise<ScratchDatabase> {
  const db = await scratchDatabase(opts.databaseUrl, `discovery_${size}`, opts.log);
  const s = seeder(db.url);
  try {
    await seedBase(s);
    await withoutIndexes(s, ['event', 'event_interest_map'], () => seedEvents(s, 0, size, progress(`${size.toLocaleString()} events`, size)), opts.log);
    await vacuumAnalyze(s, ['event', 'event_interest_map', 'venue', 'auth_user', 'user_profile']);
  } finally {
    await s.close();
  }
  return db;
}

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const large = opts.sizes?.events ?? (opts.quick ? 2_000 : 1_000_000);
  const small = opts.sizes?.['events-small'] ?? (opts.quick ? 200 : 10_000);
  const seconds = opts.quick ? 1 : 10;
  const slices = opts.quick ? 1 : 5;
  const warm = opts.quick ? 0.5 : 2;
  const runs = opts.quick ? 10 : 200;
  const dbs = [await seeded(opts, large), await seeded(opts, small)];
  const children: Child[] = [];
  const rows: BenchRow[] = [];
  try {
    const app = await startApp({ databaseUrl: dbs[0]!.url });
    children.push(app);
    const bare = await startBare('discovery', dbs[0]!.url);
    children.push(bare);
    const appSmall = await startApp({ databaseUrl: dbs[1]!.url });
    children.push(appSmall);
    // One warm-up round over every query before any is measured: the app has far more code to
    // compile than the bare server, and whichever query came first used to pay for it (+1 ms of app
    // CPU per request against +0.5 for the bare server, measured by putting each query first).
    for (const q of Object.values(QUERIES)) {
      for (const c of [app, bare]) await hammer(`${c.base}/api/events${q.qs}`, { seconds: warm });
    }
    for (const [name, q] of Object.entries(QUERIES)) {
      const path = `/api/events${q.qs}`;
      const first = await (await fetch(app.base + path)).json() as { results: unknown[] };
      const firstBare = await (await fetch(bare.base + path)).json() as { results: unknown[] };
      // `next` is sealed with a fresh nonce under each process's own key (src/lib/cursor.ts): compare the pages.
      if (JSON.stringify(first.results) !== JSON.stringify(firstBare.results)) throw new Error(`${name}: the app and the bare server answer differently`);
      // Warm both again on this query (plan cache, buffers), then measure in interleaved slices.
      await hammer(app.base + path, { seconds: warm });
      await hammer(bare.base + path, { seconds: warm });
      const [a, b] = await hammerInterleaved([app.base + path, bare.base + path], {
        seconds, slices, cpuOf: [() => cpuMs(app.child.pid!), () => cpuMs(bare.child.pid!)],
      });
      if (a.failures || b.failures) throw new Error(`${name}: ${a.failures} failed app requests, ${b.failures} bare`);
      opts.log(`${name}: app ${a.rps.toFixed(0)} req/s (p50 ${a.p50} ms, ${a.cpuMsPerRequest!.toFixed(2)} ms CPU per request), `
        + `bare ${b.rps.toFixed(0)} req/s (p50 ${b.p50} ms, ${b.cpuMsPerRequest!.toFixed(2)} ms CPU), ${first.results.length} rows`);
      rows.push(row(`discovery ${name} @${large.toLocaleString()}, 32 conn`, a.rps, 'req/s', b.rps, '≥ 0.7× bare', a.rps / b.rps >= 0.7));
      // The server's own CPU per request: what the throughput ratio is made of, and steadier than it on a noisy machine.
      rows.push(row(`discovery ${name} @${large.toLocaleString()}: server CPU per request`, a.cpuMsPerRequest!, 'cpu ms', b.cpuMsPerRequest!, 'reference', null));
    }
    // Page latency, one request at a time, alternating between the two sizes.
    for (const [name, q] of Object.entries(QUERIES)) {
      const times: [number[], number[]] = [[], []];
      for (let i = 0; i < runs; i++) {
        const pair = i % 2 === 0 ? [0, 1] as const : [1, 0] as const;
        for (const j of pair) times[j].push(...(await timeGets((j === 0 ? app : appSmall).base + `/api/events${q.qs}`, 1)));
      }
      const [p50Large, p50Small] = [percentile(times[0].slice(runs / 10), 50), percentile(times[1].slice(runs / 10), 50)];
      rows.push(row(`discovery ${name} p50 @${large.toLocaleString()} vs @${small.toLocaleString()}`, p50Large, 'ms', p50Small, '≤ 1.5× p50 at small', p50Large <= 1.5 * p50Small));
    }
    if (!opts.quick) {
      await keepPlans(dbs[0]!.url, Object.fromEntries(Object.entries(QUERIES).map(([name, q]) =>
        [`discovery-${name.replace(/\W+/g, '-')}`, discoveryQuery(q.filters)])), `discovery at ${large.toLocaleString()} events`);
    }
  } finally {
    for (const c of children) await c.stop();
    for (const db of dbs) await db.drop();
  }
  return rows;
}
