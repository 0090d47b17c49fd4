/**
 * Cold start and memory of the production process. Start: spawn → first 200 from /readyz on an
 * already migrated database (the median of --starts runs: 5; quick 1), with the scheduler on as
 * production runs it. Memory: RSS after the panel is loaded (signed in, a list page read) and
 * 2,000 API requests (GET /api/events, 8 connections). Both beside the bare node:http + pg server
 * of bench/bare/discovery.mjs, started and loaded the same way. Goals: < 1 s, < 250 MB.
 */
import { startApp, startBare, type Child } from '../lib/app.js';
import { adminSession } from '../lib/admin-session.js';
import { progress, scratchDatabase, seeder, vacuumAnalyze } from '../lib/db.js';
import { percentile } from '../lib/load.js';
import { seedBase, seedEvents } from '../lib/seed-events.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import autocannon from 'autocannon';

const EMAIL = 'bench-admin@loopin.test';
const PASSWORD = 'bench-admin-password-1';

async function load(base: string, requests: number): Promise<void> {
  const r = await autocannon({ url: `${base}/api/events`, connections: 8, amount: requests });
  if (r.non2xx || r.errors) throw new Error(`${base}: ${r.non2xx} non-2xx, ${r.errors} errors under load`);
}

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const starts = opts.sizes?.starts ?? (opts.quick ? 1 : 5);
  const events = opts.quick ? 200 : 20_000;
  const db = await scratchDatabase(opts.databaseUrl, 'startup', opts.log);
  const s = seeder(db.url);
  const children: Child[] = [];
  try {
    await seedBase(s);
    await seedEvents(s, 0, events, progress(`${events.toLocaleString()} events`, events));
    await vacuumAnalyze(s, ['event', 'event_interest_map']);
    await s.close();
    const env = { SCHEDULER: 'on', ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD };
    // The first start creates the superuser; the measured ones find everything in place.
    await (await startApp({ databaseUrl: db.url, env })).stop();
    const appMs: number[] = [];
    const bareMs: number[] = [];
    const appCpu: number[] = [];
    const bareCpu: number[] = [];
    for (let i = 0; i < starts; i++) {
      const a = await startApp({ databaseUrl: db.url, env });
      appMs.push(a.readyMs);
      appCpu.push(a.readyCpuMs);
      if (i < starts - 1) await a.stop();
      else children.push(a);
      const b = await startBare('discovery', db.url);
      bareMs.push(b.readyMs);
      bareCpu.push(b.readyCpuMs);
      if (i < starts - 1) await b.stop();
      else children.push(b);
    }
    const [app, bare] = children as [Child, Child];
    const start = percentile(appMs, 50);
    const bareStart = percentile(bareMs, 50);
    opts.log(`cold start: app ${appMs.map((m) => m.toFixed(0)).join(', ')} ms; bare ${bareMs.map((m) => m.toFixed(0)).join(', ')} ms`);
    opts.log(`CPU used until ready: app ${appCpu.join(', ')} ms; bare ${bareCpu.join(', ')} ms`);

    const rssStart = app.rssMiB();
    const headers = await adminSession(app.base, EMAIL, PASSWORD);
    for (const path of ['/admin', '/admin/api/resources/audit_log/actions/list', '/admin/api/resources/event/actions/list', '/admin/frontend/assets/components.bundle.js']) {
      const res = await fetch(app.base + path, { headers });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`${path}: ${res.status}`);
    }
    await load(app.base, 2000);
    await load(bare.base, 2000);
    const rss = app.rssMiB();
    const bareRss = bare.rssMiB();
    opts.log(`RSS: app ${rssStart.toFixed(0)} MiB after start, ${rss.toFixed(0)} MiB with the panel after 2,000 requests; bare ${bareRss.toFixed(0)} MiB`);
    return [
      row(`cold start to /readyz (production, migrated db), median of ${starts}`, start, 'ms', bareStart, '< 1000 ms', start < 1000),
      row('CPU used until ready (same starts)', percentile(appCpu, 50), 'cpu ms', percentile(bareCpu, 50), 'reference', null),
      row('RSS with the panel loaded after 2,000 requests', rss, 'MiB', bareRss, '< 250 MB', rss * 1.048576 < 250),
    ];
  } finally {
    for (const c of children) await c.stop();
    await db.drop();
  }
}
