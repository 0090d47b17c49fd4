import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { AttendanceRecord, Event, EventAttendee } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { isUuid } from '../../events/lookup.js';
import { authorizeOwnerOrManager, managesEvent } from '../policy.js';
import { sequelize } from '../../../db/connection.js';
import { attendeeIncludes, refersTo } from './views.js';

/*
 * One statement writes the EVENT_ATTENDEE (going) and its ATTENDANCE_RECORD (ticket). Both tables are
 * unique per (event, user): an earlier, cancelled attendance is reused; a current one (going,
 * checked in, maybe) makes the upsert return no row → 409. One statement instead of four keeps the
 * accept transaction short.
 */
const ADMIT_SQL = `
WITH a AS (
  INSERT INTO event_attendee (event_id, user_id, request_id, seats, status, is_paid, price_paid, created_at, updated_at)
  VALUES (:eventId, :userId, :requestId, :seats, 'going', :isPaid, :pricePaid, :now, :now)
  ON CONFLICT (event_id, user_id) DO UPDATE
    SET request_id = EXCLUDED.request_id, seats = EXCLUDED.seats, status = 'going', is_paid = EXCLUDED.is_paid,
        price_paid = EXCLUDED.price_paid, checked_in_at = NULL, updated_at = EXCLUDED.updated_at
    WHERE event_attendee.status NOT IN ('going', 'checked_in', 'maybe')
  RETURNING *, (xmax::text <> '0') AS reused
), r AS (
  INSERT INTO attendance_record (event_id, user_id, attendee_id, seats, status, payment_status, created_at, updated_at)
  SELECT event_id, user_id, id, seats, 'going', :paymentStatus, :now, :now FROM a
  ON CONFLICT (event_id, user_id) DO UPDATE
    SET attendee_id = EXCLUDED.attendee_id, seats = EXCLUDED.seats, status = 'going', payment_status = EXCLUDED.payment_status,
        checked_in_at = NULL, checked_out_at = NULL, updated_at = EXCLUDED.updated_at
  RETURNING id
)
SELECT a.* FROM a`;

/**
 * Seats a person as a going attendee with a ticket. Does not touch going_count: the caller ends
 * with `claimSeats`, which counts the seats and checks capacity under the event lock.
 */
export async function admit(
  ctx: Context, tx: Transaction,
  o: { event: Event; userId: number; seats: number; requestId: number | null; paid?: { pricePaid: string } },
): Promise<EventAttendee> {
  const rows = await sequelize().query<Record<string, unknown> & { reused: boolean }>(ADMIT_SQL, {
    replacements: {
      eventId: o.event.id, userId: o.userId, requestId: o.requestId, seats: o.seats, isPaid: !!o.paid,
      pricePaid: o.paid?.pricePaid ?? '0.00', paymentStatus: o.paid ? 'paid' : 'unpaid', now: ctx.now(),
    },
    transaction: tx, type: QueryTypes.SELECT,
  });
  if (!rows[0]) throw new Conflict('Already attending this event');
  const { reused, ...row } = rows[0];
  const attendee = EventAttendee.build(row as never, { isNewRecord: false, raw: true });
  await audit(ctx, {
    action: reused ? 'update' : 'create', command: 'joining.attendee.admit',
    object: { type: 'event_attendee', id: attendee.id, uuid: attendee.uuid },
    newValues: { status: 'going', seats: o.seats, request_id: o.requestId }, userId: o.userId,
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
    if (!attendee || !event || (input.eventRef !== undefined && !refersTo(input.eventRef, event))) throw new NotFound('Attendee');
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
