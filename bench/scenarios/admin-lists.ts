/**
 * Panel list pages over big tables: the production app (panel loaded, signed in over HTTP) serving
 * AdminJS's list call for AUDIT_LOG and NOTIFICATION with --admin-rows rows each (1,000,000; quick
 * 5,000), unfiltered and filtered — including filters matching a fifth and a third of the table,
 * where an exact COUNT(*) per page view would cost more than the page. One request at a time;
 * goal p95 < 300 ms per page.
 */
import { startApp, type Child } from '../lib/app.js';
import { adminSession } from '../lib/admin-session.js';
import { progress, scratchDatabase, seeder, vacuumAnalyze, withoutIndexes } from '../lib/db.js';
import { percentile, timeGets } from '../lib/load.js';
import { seedAuditLog, seedUsers } from '../lib/seed-audit.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';

const EMAIL = 'bench-admin@loopin.test';
const PASSWORD = 'bench-admin-password-1';

const CASES: [string, string][] = [
  ['audit_log', 'audit_log'],
  ['audit_log action=login (1/5)', 'audit_log?filters.action=login'],
  ['audit_log actor=42', 'audit_log?filters.actor_user_id=42'],
  ['notification', 'notification'],
  ['notification is_read=true (1/3)', 'notification?filters.is_read=true'],
  ['notification recipient=42', 'notification?filters.recipient_id=42'],
];

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const n = opts.sizes?.['admin-rows'] ?? (opts.quick ? 5_000 : 1_000_000);
  const runs = opts.quick ? 10 : 40;
  const db = await scratchDatabase(opts.databaseUrl, 'admin', opts.log);
  const s = seeder(db.url);
  let app: Child | undefined;
  try {
    await seedUsers(s, 1000);
    await withoutIndexes(s, ['audit_log', 'notification'], async () => {
      await seedAuditLog(s, n, `(now() - interval '90 days')`, progress(`${n.toLocaleString()} audit rows`, n));
      const tick = progress(`${n.toLocaleString()} notifications`, n);
      for (let lo = 0; lo < n; lo += 100_000) {
        const hi = Math.min(n, lo + 100_000);
        await s.query(`
          INSERT INTO notification (recipient_id, type, title, message, is_read, created_at, updated_at)
          SELECT 1 + g % 1000, 'system', 'Notice ' || g, 'Bench message', g % 3 = 0, now() - g * interval '1 second', now() - g * interval '1 second'
            FROM generate_series(${lo + 1}, ${hi}) g`);
        tick(hi);
      }
    }, opts.log);
    await vacuumAnalyze(s, ['audit_log', 'notification', 'auth_user']);
    await s.close();
    app = await startApp({ databaseUrl: db.url, env: { ADMIN_EMAIL: EMAIL, ADMIN_PASSWORD: PASSWORD } });
    const headers = await adminSession(app.base, EMAIL, PASSWORD);
    const rows: BenchRow[] = [];
    for (const [name, path] of CASES) {
      const [resource, query] = path.split('?');
      const url = `${app.base}/admin/api/resources/${resource}/actions/list${query ? `?${query}` : ''}`;
      const probe = await fetch(url, { headers });
      const body = await probe.json() as { meta?: { total: number }; records?: unknown[] };
      if (!probe.ok || !body.records) throw new Error(`${name}: ${probe.status} ${JSON.stringify(body).slice(0, 200)}`);
      const times = await timeGets(url, runs + 3, headers);
      const p95 = percentile(times.slice(3), 95);
      opts.log(`${name}: p50 ${percentile(times.slice(3), 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, total shown ${body.meta?.total.toLocaleString()}`);
      rows.push(row(`panel list ${name} @${n.toLocaleString()}`, p95, 'ms p95', null, '< 300 ms', p95 < 300));
    }
    return rows;
  } finally {
    await app?.stop();
    await db.drop();
  }
}
