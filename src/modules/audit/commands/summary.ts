import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { sequelize } from '../../../db/connection.js';
import { DAY } from '../../../lib/clock.js';

/**
 * Rebuilds AUDIT_LOG_SUMMARY (per UTC day, user, action) for the last `days` days in one idempotent
 * INSERT … SELECT … ON CONFLICT. Not audited: derived statistics, and its own row would change today's.
 */
export async function summarizeAuditLog(ctx: Context, { days = 2 }: { days?: number } = {}): Promise<{ upserted: number; from: string }> {
  const today = new Date(Math.floor(ctx.now().getTime() / DAY) * DAY);
  const from = new Date(today.getTime() - (days - 1) * DAY);
  const to = new Date(today.getTime() + DAY);
  return withTransaction(ctx, async (tx) => {
    // For an INSERT, Sequelize answers [rows, rowCount].
    const [, rowCount] = await sequelize().query(
      `INSERT INTO audit_log_summary (date, user_id, action, count, successful_count, failed_count, created_at, updated_at)
       SELECT (created_at AT TIME ZONE 'UTC')::date, user_id, action, count(*),
              count(*) FILTER (WHERE is_successful), count(*) FILTER (WHERE NOT is_successful), :now, :now
         FROM audit_log WHERE created_at >= :from AND created_at < :to
        GROUP BY 1, 2, 3
       ON CONFLICT (date, (COALESCE(user_id, 0)), action) DO UPDATE
          SET count = EXCLUDED.count, successful_count = EXCLUDED.successful_count,
              failed_count = EXCLUDED.failed_count, updated_at = EXCLUDED.updated_at`,
      { replacements: { now: ctx.now(), from, to }, transaction: tx },
    );
    return { upserted: Number(rowCount), from: from.toISOString().slice(0, 10) };
  });
}
