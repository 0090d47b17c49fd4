import type { Transaction } from 'sequelize';
import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound } from '../../lib/errors.js';
import { EventAttendee, EventInvite, type Event } from '../../models/index.js';
import { findEventByRef } from './lookup.js';

export const isHostOrStaff = (actor: Actor | null, event: Event): boolean =>
  isStaff(actor) || (!!actor && event.host_id === actor.id);

/**
 * Who may see an event: its host and staff always; others only a non-draft, active event that is
 * public — or private but they hold a live (pending or accepted) invite or an attendee row. A
 * declined or expired invite no longer reveals it. Anything else is 404, never 403: a draft or
 * private event must not be confirmed to exist.
 */
export async function canSeeEvent(actor: Actor | null, event: Event, tx?: Transaction): Promise<boolean> {
  if (isHostOrStaff(actor, event)) return true;
  if (event.status === 'draft' || !event.is_active) return false;
  if (event.is_public) return true;
  if (!actor) return false;
  const where = { event_id: event.id };
  const [invite, attendee] = await Promise.all([
    EventInvite.findOne({ where: { ...where, invited_user_id: actor.id, status: ['pending', 'accepted'] }, attributes: ['id'], transaction: tx }),
    EventAttendee.findOne({ where: { ...where, user_id: actor.id }, attributes: ['id'], transaction: tx }),
  ]);
  return !!invite || !!attendee;
}

/** The event `ref` (uuid or slug) if the actor may see it; 404 otherwise. */
export async function findVisibleEvent(actor: Actor | null, ref: string): Promise<Event> {
  const event = await findEventByRef(ref);
  if (!(await canSeeEvent(actor, event))) throw new NotFound('Event');
  return event;
}

/** Changes (edit, lifecycle, images) are for the host or staff; others get 403 if they can see it, else 404. */
export async function authorizeEventWrite(actor: Actor | null, event: Event, tx?: Transaction): Promise<void> {
  if (isHostOrStaff(actor, event)) return;
  if (await canSeeEvent(actor, event, tx)) throw new Forbidden('Only the host or staff may change this event');
  throw new NotFound('Event');
}
