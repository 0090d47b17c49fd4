import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import type { AttendanceStatus } from '../../../models/EventAttendee.js';
import { AttendanceRecord, Event, EventAttendee } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeOwned, managesEvent } from '../policy.js';
import { sequelize } from '../../../db/connection.js';
import { attendeeIncludes, refersTo } from './views.js';
import { admitFromWaitlist } from './waitlist.js';

/**
 * An attendee stops going — by their own choice (`not_going`) or the host's/staff's (`cancelled`).
 * The seats are free at once: going_count drops in the same transaction, the ticket is cancelled.
 */
export async function cancelAttendee(ctx: Context, input: { attendeeUuid: string; eventRef?: string }): Promise<EventAttendee> {
  return withTransaction(ctx, async (tx, ctx) => {
    if (!isUuid(input.attendeeUuid)) throw new NotFound('Attendee');
    const attendee = await EventAttendee.findOne({ where: { uuid: input.attendeeUuid }, include: attendeeIncludes, transaction: tx });
    const event = attendee ? await Event.findByPk(attendee.event_id, { transaction: tx }) : null;
    if (!attendee || !event || (input.eventRef !== undefined && !refersTo(input.eventRef, event))) throw new NotFound('Attendee');
    const actor = authorizeOwned(ctx.actor, 'cancelAttendee', { ownerId: attendee.user_id, event }, 'Attendee');
    const byHost = actor.id !== attendee.user_id && managesEvent(actor, event);
    const status = byHost ? 'cancelled' : 'not_going';
    await unseat(ctx, attendee, status, event.id);
    await notify(ctx, {
      recipientId: byHost ? attendee.user_id : event.host_id, senderId: actor.id, type: 'event_update',
      title: byHost ? 'Your place was cancelled' : 'An attendee cancelled',
      message: byHost ? `The host cancelled your place at ${event.title}.` : `${attendee.user?.profile?.name ?? 'An attendee'} is no longer going to ${event.title}.`,
      reference: { type: 'event_attendee', id: attendee.id },
    });
    await audit(ctx, {
      action: 'update', command: 'joining.attendee.cancel', object: { type: 'event_attendee', id: attendee.id, uuid: attendee.uuid },
      oldValues: { status: 'going' }, newValues: { status, seats_freed: attendee.seats }, userId: attendee.user_id,
    });
    attendee.status = status;
    return attendee;
  });
}

/**
 * The payments domain, after a full refund of a paid attendance: the attendee is cancelled, the
 * ticket cancelled and marked refunded, the seats free at once. Inside the caller's transaction.
 */
export async function unseatRefunded(ctx: Context, input: { attendeeId: number }): Promise<EventAttendee> {
  if (!ctx.transaction) throw new Error('unseatRefunded() runs inside the caller\'s transaction');
  const attendee = await EventAttendee.findByPk(input.attendeeId, { transaction: ctx.transaction, rejectOnEmpty: true });
  await unseat(ctx, attendee, 'cancelled', attendee.event_id, { refunded: true });
  await audit(ctx, {
    action: 'update', command: 'joining.attendee.refund', object: { type: 'event_attendee', id: attendee.id, uuid: attendee.uuid },
    oldValues: { status: 'going' }, newValues: { status: 'cancelled', payment_status: 'refunded', seats_freed: attendee.seats }, userId: attendee.user_id,
  });
  attendee.status = 'cancelled';
  return attendee;
}

/**
 * Seats given back: the attendee leaves 'going' (the conditional update arbitrates racing cancels),
 * its ticket is cancelled, going_count drops, and the waitlist gets the seats in the same transaction.
 */
async function unseat(ctx: Context, attendee: EventAttendee, status: AttendanceStatus, eventId: number, o: { refunded?: boolean } = {}): Promise<void> {
  const tx = ctx.transaction;
  const [changed] = await EventAttendee.update({ status }, { where: { id: attendee.id, status: 'going' }, transaction: tx });
  if (!changed) throw new Conflict(`Attendee is ${(await attendee.reload({ transaction: tx })).status}`);
  await AttendanceRecord.update({ status: 'cancelled', ...(o.refunded ? { payment_status: 'refunded' as const } : {}) },
    { where: { attendee_id: attendee.id, status: 'going' }, transaction: tx });
  await sequelize().query('UPDATE event SET going_count = going_count - :seats, updated_at = :now WHERE id = :eventId', {
    replacements: { seats: attendee.seats, now: ctx.now(), eventId }, transaction: tx,
  });
  await admitFromWaitlist(ctx, eventId);
}
