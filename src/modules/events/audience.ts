import { Op, type Transaction } from 'sequelize';
import { EventAttendee, EventRequest } from '../../models/index.js';

/** User ids of the event's going attendees (the people told about changes and cancellation). */
export async function goingUserIds(eventId: number, tx: Transaction): Promise<number[]> {
  const rows = await EventAttendee.findAll({ where: { event_id: eventId, status: 'going' }, attributes: ['user_id'], transaction: tx });
  return rows.map((r) => r.user_id);
}

/** User ids of the event's pending and waitlisted requesters. */
export async function pendingRequesterIds(eventId: number, tx: Transaction): Promise<number[]> {
  const rows = await EventRequest.findAll({
    where: { event_id: eventId, status: { [Op.in]: ['pending', 'waitlisted'] } }, attributes: ['requester_id'], transaction: tx,
  });
  return rows.map((r) => r.requester_id);
}
