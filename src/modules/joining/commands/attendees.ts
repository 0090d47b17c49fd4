import type { Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { AttendanceRecord, Event, EventAttendee } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { isUuid } from '../../events/lookup.js';
import { authorizeOwnerOrManager, managesEvent } from '../policy.js';
import { sequelize } from '../../../db/connection.js';
import { attendeeIncludes } from './views.js';

const SEATED = ['going', 'checked_in', 'maybe'];

/**
 * Writes the EVENT_ATTENDEE (going) and its ATTENDANCE_RECORD for a person, reusing the rows of an
 * earlier, cancelled attendance (both tables are unique per event and user). Does not touch
 * going_count: the caller ends with `claimSeats`, which counts and checks capacity under the lock.
 */
export async function admit(
  ctx: Context, tx: Transaction,
  o: { event: Event; userId: number; seats: number; requestId: number | null; paid?: { pricePaid: string } },
): Promise<EventAttendee> {
  const where = { event_id: o.event.id, user_id: o.userId };
  const existing = await EventAttendee.findOne({ where, transaction: tx, lock: tx.LOCK.UPDATE });
  if (existing && SEATED.includes(existing.status)) throw new Conflict('Already attending this event');
  const oldStatus = existing?.status ?? null;
  const values = {
    ...where, seats: o.seats, status: 'going' as const, request_id: o.requestId,
    is_paid: !!o.paid, price_paid: o.paid?.pricePaid ?? '0.00', checked_in_at: null,
  };
  const attendee = existing ? await existing.update(values, { transaction: tx }) : await EventAttendee.create(values, { transaction: tx });
  const record = await AttendanceRecord.findOne({ where, transaction: tx, lock: tx.LOCK.UPDATE });
  const recordValues = {
    ...where, status: 'going' as const, seats: o.seats, attendee_id: attendee.id,
    payment_status: o.paid ? ('paid' as const) : ('unpaid' as const), checked_in_at: null, checked_out_at: null,
  };
  if (record) await record.update(recordValues, { transaction: tx });
  else await AttendanceRecord.create(recordValues, { transaction: tx });
  await audit(ctx, {
    action: existing ? 'update' : 'create', command: 'joining.attendee.admit',
    object: { type: 'event_attendee', id: attendee.id, uuid: attendee.uuid },
    oldValues: oldStatus ? { status: oldStatus } : null,
    newValues: { status: 'going', seats: o.seats, request_id: o.requestId },
    userId: o.userId,
  });
  return attendee;
}

/**
 * An attendee stops going — by their own choice (`not_going`) or the host's/staff's (`cancelled`).
 * The seats are free at once: going_count drops in the same transaction, the ticket is cancelled.
 */
export async function cancelAttendee(ctx: Context, input: { attendeeUuid: string; eventRef?: string }): Promise<EventAttendee> {
  return withTransaction(ctx, async (tx, ctx) => {
    if (!isUuid(input.attendeeUuid)) throw new NotFound('Attendee');
    const attendee = await EventAttendee.findOne({ where: { uuid: input.attendeeUuid }, include: attendeeIncludes, transaction: tx });
    const event = attendee ? await Event.findByPk(attendee.event_id, { transaction: tx }) : null;
    if (!attendee || !event || (input.eventRef && input.eventRef !== event.uuid && input.eventRef !== event.slug)) throw new NotFound('Attendee');
    const actor = authorizeOwnerOrManager(ctx.actor, attendee.user_id, event, { managerMay: true }, 'Attendee');
    const byHost = actor.id !== attendee.user_id && managesEvent(actor, event);
    const status = byHost ? 'cancelled' : 'not_going';
    // The conditional update is the arbiter: of two racing cancels, one changes the row, the other sees 0 rows.
    const [changed] = await EventAttendee.update({ status }, { where: { id: attendee.id, status: 'going' }, transaction: tx });
    if (!changed) throw new Conflict(`Attendee is ${(await attendee.reload({ transaction: tx })).status}`);
    await AttendanceRecord.update({ status: 'cancelled' }, { where: { attendee_id: attendee.id, status: 'going' }, transaction: tx });
    await sequelize().query('UPDATE event SET going_count = going_count - :seats, updated_at = :now WHERE id = :eventId', {
      replacements: { seats: attendee.seats, now: ctx.now(), eventId: event.id }, transaction: tx,
    });
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
