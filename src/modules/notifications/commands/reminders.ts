import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { HOUR } from '../../../lib/clock.js';
import { audit } from '../../audit/writer.js';

/**
 * Reminds the attendees of every published event starting within `withinMs` (default 24 h): one
 * `reminder` notification each, in-app and by email (the outbox skips users without an address).
 * One set-based INSERT … SELECT for all events; the unique index notification_one_event_reminder
 * with ON CONFLICT DO NOTHING makes reruns remind nobody twice. Audited once per run that reminded.
 */
export async function sendEventReminders(ctx: Context, { withinMs = 24 * HOUR }: { withinMs?: number } = {}): Promise<{ reminded: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const [, rowCount] = await sequelize().query(
      `INSERT INTO notification (recipient_id, type, title, message, reference_type, reference_id, metadata,
                                 email_status, email_next_attempt_at, created_at, updated_at)
       SELECT DISTINCT ON (a.user_id, e.id) a.user_id, 'reminder', left('Reminder: ' || e.title, 200),
              'Your event "' || e.title || '" starts soon.', 'event', e.id,
              jsonb_build_object('template', 'reminder', 'event_title', e.title, 'starts_at', e.start_time, 'reference_uuid', e.uuid),
              'pending', :now, :now, :now
         FROM event e JOIN event_attendee a ON a.event_id = e.id AND a.status = 'going'
        WHERE e.status = 'published' AND e.is_active AND e.start_time > :now AND e.start_time <= :until
       ON CONFLICT (recipient_id, reference_id) WHERE type = 'reminder' AND reference_type = 'event' DO NOTHING`,
      { replacements: { now, until: new Date(now.getTime() + withinMs) }, transaction: tx },
    );
    const reminded = Number(rowCount);
    if (reminded > 0) {
      await audit(ctx, {
        action: 'create', command: 'notifications.send_event_reminders', object: { type: 'notification' },
        payload: { reminded, within_hours: withinMs / HOUR },
      });
    }
    return { reminded };
  });
}
