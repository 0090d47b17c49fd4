import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound, Unauthorized } from '../../lib/errors.js';
import type { Transaction } from 'sequelize';
import type { Event } from '../../models/Event.js';
import { canSeeEvent } from '../events/policy.js';

/** Who may do what in joining. Objects the actor may not know about are 404, not 403. */

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

/** The host of the event, or staff: accept/decline requests, invite, list requests and attendees. */
export const managesEvent = (actor: Actor | null, event: Pick<Event, 'host_id'>): boolean =>
  !!actor && (isStaff(actor) || actor.id === event.host_id);

export function authorizeManage(actor: Actor | null, event: Pick<Event, 'host_id'>): Actor {
  const who = requireActor(actor);
  if (!managesEvent(who, event)) throw new Forbidden('Only the host of this event can do this');
  return who;
}

/**
 * Host-only work on an event: the host or staff pass; anyone who can see the event gets 403, anyone
 * else 404 — a private or draft event is not confirmed to exist. `ownerId` (a request's requester)
 * also gets 403: they know the object; other callers do not, so a row under the event is 404 to them.
 */
export async function authorizeManageVisible(
  actor: Actor | null, event: Event, opts: { transaction?: Transaction; what?: string; ownerId?: number } = {},
): Promise<Actor> {
  const who = requireActor(actor);
  if (managesEvent(who, event)) return who;
  if (!(await canSeeEvent(who, event, opts.transaction))) throw new NotFound('Event');
  if (opts.what && opts.ownerId !== who.id) throw new NotFound(opts.what);
  throw new Forbidden('Only the host of this event can do this');
}

/** A request, invite or attendee row belongs to `ownerId`; anyone else (but the host/staff when allowed) gets 404. */
export function authorizeOwnerOrManager(
  actor: Actor | null, ownerId: number, event: Pick<Event, 'host_id'>, { managerMay }: { managerMay: boolean }, what: string,
): Actor {
  const who = requireActor(actor);
  if (who.id === ownerId || (managerMay && managesEvent(who, event))) return who;
  throw new NotFound(what);
}
