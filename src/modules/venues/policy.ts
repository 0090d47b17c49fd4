import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound } from '../../lib/errors.js';
import type { Venue } from '../../models/index.js';

/** Who may see a venue: active ones to everybody; inactive ones to their creator and staff. */
export function canSeeVenue(actor: Actor | null, venue: Venue): boolean {
  return venue.is_active || isStaff(actor) || (!!actor && venue.created_by_id === actor.id);
}

/** Writes (update, delete) are for the creator or staff. */
export function authorizeVenueWrite(actor: Actor | null, venue: Venue): void {
  if (!canSeeVenue(actor, venue)) throw new NotFound('Venue');
  if (isStaff(actor) || (!!actor && venue.created_by_id === actor.id)) return;
  throw new Forbidden('Only the venue creator or staff may change this venue');
}
