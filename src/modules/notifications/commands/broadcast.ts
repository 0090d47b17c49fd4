import crypto from 'node:crypto';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { ValidationFailed } from '../../../lib/errors.js';
import { audit } from '../../audit/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeBroadcast } from '../policy.js';
import { BroadcastInput } from '../schema.js';

/** Attendee statuses that count as "attending" for a broadcast to an event's attendees. */
const ATTENDING = ['going', 'checked_in'];

/**
 * Staff broadcast: one NOTIFICATION per recipient (an event's attendees, or every active user),
 * created by ONE set-based INSERT … SELECT — the database builds the rows, however many there are;
 * there is no query per user. In-app only (promotional/system messages are not emailed).
 * Audited once, with the recipient count and a broadcast id that every row carries in metadata.
 */
export async function broadcastNotification(ctx: Context, raw: unknown): Promise<{ recipients: number; broadcast: string }> {
  authorizeBroadcast(ctx.actor);
  const parsed = BroadcastInput.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw ValidationFailed.field(issue.path.join('.') || 'input', issue.message);
  }
  const input = parsed.data;
  const broadcast = crypto.randomUUID();
  return withTransaction(ctx, async (tx, ctx) => {
    const event = input.audience === 'all' ? null : await findEventByRef(input.audience.event, { transaction: tx });
    const audienceSql = event
      ? `SELECT DISTINCT user_id AS id FROM event_attendee WHERE event_id = :eventId AND status IN (:attending)`
      : `SELECT id FROM auth_user WHERE is_active`;
    // For an INSERT, Sequelize answers [rows, rowCount].
    const [, rowCount] = await sequelize().query(
      `INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata,
                                 email_status, created_at, updated_at)
       SELECT a.id, :sender, :type, :title, :message, :refType, :refId, CAST(:metadata AS jsonb), 'none', :now, :now
         FROM (${audienceSql}) a`,
      {
        replacements: {
          sender: ctx.actor!.id, type: input.type, title: input.title, message: input.message,
          refType: event ? 'event' : null, refId: event?.id ?? null, eventId: event?.id ?? null, attending: ATTENDING,
          metadata: JSON.stringify({ broadcast, ...(event ? { reference_uuid: event.uuid } : {}) }), now: ctx.now(),
        },
        transaction: tx,
      },
    );
    const recipients = Number(rowCount);
    await audit(ctx, {
      action: 'create', command: 'notifications.broadcast', severity: 'medium',
      object: event ? { type: 'event', id: event.id, uuid: event.uuid } : { type: 'notification' },
      newValues: { type: input.type, title: input.title, message: input.message },
      payload: { broadcast, recipients, audience: event ? { event: event.uuid } : 'all' },
    });
    return { recipients, broadcast };
  });
}
