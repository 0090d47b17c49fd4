import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { DAY } from '../../../lib/clock.js';
import { audit } from '../../audit/writer.js';

export const RETENTION_DAYS = 30;

/**
 * The ERD's 30-day retention: deletes notifications older than `days`, in batches of `batchSize`
 * (each its own short transaction, so a large backlog never holds locks for long). Rows whose
 * email is still pending stay until the outbox is done with them. One audit row per batch.
 */
export async function purgeExpiredNotifications(ctx: Context, { days = RETENTION_DAYS, batchSize = 5000 } = {}): Promise<{ deleted: number }> {
  const cutoff = new Date(ctx.now().getTime() - days * DAY);
  let deleted = 0;
  for (;;) {
    const batch = await withTransaction(ctx, async (tx, ctx) => {
      const rows = await sequelize().query<{ id: number }>(
        `DELETE FROM notification WHERE id IN (
           SELECT id FROM notification WHERE created_at < :cutoff AND email_status <> 'pending'
            ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        { replacements: { cutoff, limit: batchSize }, type: QueryTypes.SELECT, transaction: tx },
      );
      if (rows.length > 0) {
        await audit(ctx, {
          action: 'delete', command: 'notifications.purge_expired', object: { type: 'notification' },
          payload: { deleted: rows.length, older_than: cutoff.toISOString() },
        });
      }
      return rows.length;
    });
    deleted += batch;
    if (batch < batchSize) return { deleted };
  }
}
