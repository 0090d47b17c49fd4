import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { AttendanceRecord, Event, EventAttendee } from '../../../models/index.js';
import { audit, type AuditEntry } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeOwnerOrManager, managesEvent } from '../policy.js';
import { sequelize } from '../../../db/connection.js';
import { attendeeIncludes, refersTo } from './views.js';

/*
 * One call writes the EVENT_ATTENDEE (going) and its ATTENDANCE_RECORD (ticket): the SQL function
 * joining_admit (migration 0410), also used by the one-call request accept. Both tables are unique
 * per (event, user): an earlier, cancelled attendance is reused; a current one (going, checked in,
 * maybe) makes it return no row → 409. One statement instead of four keeps the transaction short.
 */
const ADMIT_SQL = `SELECT (x.attendee).*, x.reused
  FROM joining_admit(:eventId, :userId, :requestId, :seats, :isPaid, :pricePaid, :paymentStatus, :now) x`;

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
  await audit(ctx, admitAudit(o, attendee, reused));
  return attendee;
}

/**
 * The audit entry of an admission. The one-call accept builds it before the attendee exists
 * (attendee null) and the SQL function fills in the attendee's id, uuid and create/update.
 */
export function admitAudit(
  o: { userId: number; seats: number; requestId: number | null }, attendee: { id: number; uuid: string } | null, reused: boolean,
): AuditEntry {
  return {
    action: reused ? 'update' : 'create', command: 'joining.attendee.admit',
    object: { type: 'event_attendee', id: attendee?.id ?? null, uuid: attendee?.uuid ?? null },
    newValues: { status: 'going', seats: o.seats, request_id: o.requestId }, userId: o.userId,
  };
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
