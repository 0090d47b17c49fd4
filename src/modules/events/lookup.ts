import type { Transaction } from 'sequelize';
import { NotFound } from '../../lib/errors.js';
import { Event } from '../../models/index.js';
import { isUuid } from '../../lib/uuid.js';


/**
 * Finds an event by its public reference — uuid or slug, as API paths allow — or throws 404.
 * `lock` takes a row lock for the rest of the transaction (capacity, state transitions).
 */
export async function findEventByRef(ref: string, opts: { transaction?: Transaction; lock?: boolean } = {}): Promise<Event> {
  const where = isUuid(ref) ? { uuid: ref.toLowerCase() } : { slug: ref };
  const event = await Event.findOne({
    where,
    transaction: opts.transaction,
    ...(opts.lock && opts.transaction ? { lock: opts.transaction.LOCK.UPDATE } : {}),
  });
  if (!event) throw new NotFound('Event');
  return event;
}
