import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound, Unauthorized } from '../../lib/errors.js';
import type { Transaction } from 'sequelize';
import { policy } from '../../lib/policy.js';
import type { Event } from '../../models/Event.js';
import { canSeeEvent } from '../events/policy.js';

/** Who may do what in joining, as allow() rules. Objects the actor may not know about are 404, not 403. */
type Owned = { ownerId: number; event: Pick<Event, 'host_id'> };

const hostOrStaff = (actor: Actor, event: Pick<Event, 'host_id'>): boolean => isStaff(actor) || actor.id === event.host_id;

export const joiningRules = policy<Actor, {
  /** Accept/decline requests, invite, share links, list requests and attendees. */
  manage: Pick<Event, 'host_id'>;
  /** Cancel one's own request, answer one's own invite. */
  answerOwn: Owned;
  cancelAttendee: Owned;
  releaseHold: { ownerId: number };
}>()
  .allow('manage', hostOrStaff)
  .allow('answerOwn', (actor, o) => actor.id === o.ownerId)
  .allow('cancelAttendee', (actor, o) => actor.id === o.ownerId)
  .allow('cancelAttendee', (actor, o) => hostOrStaff(actor, o.event))
  .allow('releaseHold', (actor, o) => actor.id === o.ownerId)
  .allow('releaseHold', (actor) => isStaff(actor));

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

export const managesEvent = (actor: Actor | null, event: Pick<Event, 'host_id'>): boolean =>
  !!actor && joiningRules.can(actor, 'manage', event);

export function authorizeManage(actor: Actor | null, event: Pick<Event, 'host_id'>): Actor {
  const who = requireActor(actor);
  joiningRules.authorize(who, 'manage', event, () => new Forbidden('Only the host of this event can do this'));
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

/** `action` on a row owned by `o.ownerId`; anyone it does not allow gets 404 (`what`). */
export function authorizeOwned(actor: Actor | null, action: 'answerOwn' | 'cancelAttendee', o: Owned, what: string): Actor {
  const who = requireActor(actor);
  joiningRules.authorize(who, action, o, () => new NotFound(what));
  return who;
}
