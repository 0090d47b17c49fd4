import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { AttendanceRecord, Event, EventAttendee } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeOwnerOrManager, managesEvent } from '../policy.js';
import { sequelize } from '../../../db/connection.js';
import { attendeeIncludes, refersTo } from './views.js';

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
