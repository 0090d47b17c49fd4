import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/uuid.js';
import { Event, EventRequest } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { authorizeManage } from '../policy.js';
import { maxSeats } from '../rules.js';
import { heldSeats } from './capacity.js';

/**
 * The host or staff change how many seats a pending request asks for, under the same rules as
 * asking: at most the event's per-person limit, and only while the seats could still fit. Accepting
 * re-checks capacity atomically, so this check only spares the host an accept that must fail.
 */
export async function changeRequestSeats(ctx: Context, input: { requestUuid: string; seats: number }): Promise<EventRequest> {
  if (!isUuid(input.requestUuid)) throw new NotFound('Request');
  return withTransaction(ctx, async (tx, ctx) => {
    const request = await EventRequest.findOne({ where: { uuid: input.requestUuid }, transaction: tx, lock: tx.LOCK.UPDATE });
    const event = request && (await Event.findByPk(request.event_id, { transaction: tx }));
    if (!request || !event) throw new NotFound('Request');
    authorizeManage(ctx.actor, event);
    if (request.status !== 'pending') throw new Conflict(`The request is ${request.status}: its seats can no longer change`);
    const seats = input.seats;
    if (!Number.isSafeInteger(seats) || seats < 1 || seats > maxSeats(event)) {
      throw ValidationFailed.field('seats_requested', `must be a whole number from 1 to ${maxSeats(event)} for this event`);
    }
    if (seats === request.seats_requested) return request;
    if (!event.waitlist_enabled && event.max_capacity > 0 && event.going_count + (await heldSeats(event.id, ctx.now(), tx)) + seats > event.max_capacity) {
      throw new Conflict('Event is full');
    }
    const before = request.seats_requested;
    await request.update({ seats_requested: seats }, { transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'joining.request.change_seats', object: { type: 'event_request', id: request.id, uuid: request.uuid },
      oldValues: { seats_requested: before }, newValues: { seats_requested: seats },
    });
    return request;
  });
}
