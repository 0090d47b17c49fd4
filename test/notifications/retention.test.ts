import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { buildNotification, buildUser } from '../support/factories.js';
import { testDb } from '../support/db.js';
import { createContext } from '../../src/context.js';
import { clock, DAY } from '../../src/lib/clock.js';
import { runJob } from '../../src/jobs/runtime.js';
import { Notification } from '../../src/models/index.js';
import { purgeExpiredNotifications } from '../../src/modules/notifications/commands/index.js';

describe('30-day notification retention', () => {
  it('deletes notifications older than 30 days in batches, keeps pending emails, audits each batch', async () => {
    clock.set('2031-06-30T12:00:00Z');
    const user = await buildUser();
    const old = new Date(clock.now().getTime() - 31 * DAY);
    for (let i = 0; i < 5; i++) await buildNotification({ recipient: user, title: `old${i}`, created_at: old });
    const pending = await buildNotification({ recipient: user, title: 'old pending', created_at: old, email_status: 'pending', email_next_attempt_at: old });
    const recent = await buildNotification({ recipient: user, title: 'recent', created_at: new Date(clock.now().getTime() - 29 * DAY) });

    const outcome = await runJob('sweep-notifications', (ctx) => purgeExpiredNotifications(ctx, { batchSize: 2 }));
    expect(outcome).toEqual({ ran: true, result: { deleted: 5 } });
    const left = await Notification.findAll({ where: { recipient_id: user.id } });
    expect(left.map((n) => n.uuid).sort()).toEqual([pending.uuid, recent.uuid].sort());
    const audits = await testDb().query<{ payload: { deleted: number } }>(
      `SELECT payload FROM audit_log WHERE command = 'notifications.purge_expired' ORDER BY id`, { type: QueryTypes.SELECT });
    expect(audits.map((a) => a.payload.deleted)).toEqual([2, 2, 1]);
    // Idempotent: nothing more to delete, nothing more audited.
    expect(await purgeExpiredNotifications(createContext({ source: 'job' }))).toEqual({ deleted: 0 });
  });
});
