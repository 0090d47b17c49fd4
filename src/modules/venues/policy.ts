import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound } from '../../lib/errors.js';
import { policy } from '../../lib/policy.js';
import type { Venue } from '../../models/index.js';

const isCreator = (actor: Actor | null, venue: Venue) => !!actor && venue.created_by_id === actor.id;

/** Who may see a venue: active ones everybody; inactive ones their creator and staff. Writes: creator or staff. */
export const venueRules = policy<Actor | null, { see: Venue; change: Venue }>()
  .allow('see', (_actor, venue) => venue.is_active)
  .allow('see', (actor, venue) => isStaff(actor) || isCreator(actor, venue))
  .allow('change', (actor, venue) => isStaff(actor) || isCreator(actor, venue));

export const canSeeVenue = (actor: Actor | null, venue: Venue): boolean => venueRules.can(actor, 'see', venue);

export function authorizeVenueWrite(actor: Actor | null, venue: Venue): void {
  venueRules.authorize(actor, 'see', venue, () => new NotFound('Venue'));
  venueRules.authorize(actor, 'change', venue, () => new Forbidden('Only the venue creator or staff may change this venue'));
}
