import type { Transaction } from 'sequelize';
import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound } from '../../lib/errors.js';
import { policy } from '../../lib/policy.js';
import { EventAttendee, EventInvite, type Event } from '../../models/index.js';
import { findEventByRef } from './lookup.js';

/** What the "see" rule looks at: the event and the actor's ties to it (loaded by audienceOf). */
export interface EventAudience {
  event: Event;
  invited: boolean;
  attending: boolean;
}

export const isHostOrStaff = (actor: Actor | null, event: Event): boolean =>
  isStaff(actor) || (!!actor && event.host_id === actor.id);

/**
 * Who may see an event: its host and staff always; others only a non-draft, active event that is
 * public — or private but they were invited to it or are going. Anything else is 404, never 403:
 * a draft or private event must not be confirmed to exist. Changes are for the host or staff.
 */
export const eventRules = policy<Actor | null, { see: EventAudience; change: Event }>()
  .allow('see', (actor, { event }) => isHostOrStaff(actor, event))
  .allow('see', (_actor, { event, invited, attending }) =>
    event.status !== 'draft' && event.is_active && (event.is_public || invited || attending))
  .allow('change', isHostOrStaff);

/** The actor's ties to the event the "see" rule needs (no query when the event is public or theirs). */
export async function audienceOf(actor: Actor | null, event: Event, tx?: Transaction): Promise<EventAudience> {
  if (!actor || event.is_public || isHostOrStaff(actor, event)) return { event, invited: false, attending: false };
  const where = { event_id: event.id };
  const [invite, attendee] = await Promise.all([
    EventInvite.findOne({ where: { ...where, invited_user_id: actor.id }, attributes: ['id'], transaction: tx }),
    EventAttendee.findOne({ where: { ...where, user_id: actor.id }, attributes: ['id'], transaction: tx }),
  ]);
  return { event, invited: !!invite, attending: !!attendee };
}

export async function canSeeEvent(actor: Actor | null, event: Event, tx?: Transaction): Promise<boolean> {
  return eventRules.can(actor, 'see', await audienceOf(actor, event, tx));
}

/** The event `ref` (uuid or slug) if the actor may see it; 404 otherwise. */
export async function findVisibleEvent(actor: Actor | null, ref: string): Promise<Event> {
  const event = await findEventByRef(ref);
  if (!(await canSeeEvent(actor, event))) throw new NotFound('Event');
  return event;
}

/** Changes (edit, lifecycle, images) are for the host or staff; others get 403 if they can see it, else 404. */
export async function authorizeEventWrite(actor: Actor | null, event: Event, tx?: Transaction): Promise<void> {
  if (eventRules.can(actor, 'change', event)) return;
  if (await canSeeEvent(actor, event, tx)) throw new Forbidden('Only the host or staff may change this event');
  throw new NotFound('Event');
}
