/**
 * The daily audit summary (jobs/audit-summary.ts → summarizeAuditLog, yesterday and today) over
 * --audit-rows AUDIT_LOG rows (1,000,000; quick 20,000) spread over those two UTC days, beside a
 * plain GROUP BY recount of the same window in the same run. Goal: < 5 s, and the summary table
 * equal to the recount, group for group.
 */
import { QueryTypes } from 'sequelize';
import { progress, scratchDatabase, seeder, vacuumAnalyze, withoutIndexes } from '../lib/db.js';
import { keepPlans } from '../lib/plans.js';
import { seedAuditLog, seedUsers } from '../lib/seed-audit.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { systemContext } from '../../src/context.js';
import { summarizeAuditLog } from '../../src/modules/audit/commands/index.js';

const WINDOW = `created_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day'`;
const RECOUNT = `SELECT (created_at AT TIME ZONE 'UTC')::date AS date, user_id, action, count(*)::int AS count,
       (count(*) FILTER (WHERE is_successful))::int AS successful_count, (count(*) FILTER (WHERE NOT is_successful))::int AS failed_count
  FROM audit_log WHERE ${WINDOW} GROUP BY 1, 2, 3`;

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const n = opts.sizes?.['audit-rows'] ?? (opts.quick ? 20_000 : 1_000_000);
  const db = await scratchDatabase(opts.databaseUrl, 'audit', opts.log);
  const s = seeder(db.url);
  try {
    await seedUsers(s, 1000);
    // From yesterday 00:00 UTC to now: every row is inside the job's two-day window.
    await withoutIndexes(s, ['audit_log'], () => seedAuditLog(s, n, `(date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' - interval '1 day')`,
      progress(`${n.toLocaleString()} audit rows`, n)), opts.log);
    await vacuumAnalyze(s, ['audit_log']);
  } finally {
    await s.close();
  }
  connect(db.url, { poolMax: 4 });
  try {
    const t0 = performance.now();
    const recount = await sequelize().query<Record<string, unknown>>(RECOUNT, { type: QueryTypes.SELECT });
    const recountSecs = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const { upserted } = await summarizeAuditLog(systemContext('job'), { days: 2 });
    const secs = (performance.now() - t1) / 1000;
    const [diff] = await sequelize().query<{ n: number }>(`
      WITH s AS (SELECT date, user_id, action, count, successful_count, failed_count FROM audit_log_summary), r AS (${RECOUNT})
      SELECT ((SELECT count(*) FROM (SELECT * FROM s EXCEPT SELECT * FROM r) x) + (SELECT count(*) FROM (SELECT * FROM r EXCEPT SELECT * FROM s) y))::int AS n`,
    { type: QueryTypes.SELECT });
    opts.log(`summary ${secs.toFixed(2)} s (${upserted} groups), recount ${recountSecs.toFixed(2)} s (${recount.length} groups), ${diff!.n} differing`);
    if (!opts.quick) await keepPlans(db.url, { 'audit-summary-recount': { text: RECOUNT } }, `audit summary window over ${n.toLocaleString()} rows`);
    return [
      row(`audit summary over ${n.toLocaleString()} rows`, secs, 's', recountSecs, '< 5 s', secs < 5),
      row(`audit summary = GROUP BY recount (differing groups)`, diff!.n, 'groups', null, '= 0', diff!.n === 0 && upserted === recount.length),
    ];
  } finally {
    await disconnect();
    await db.drop();
  }
}
