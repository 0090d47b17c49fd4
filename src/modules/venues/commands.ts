import type { Context } from '../../context.js';
import { withTransaction } from '../../db/transaction.js';
import { NotFound, Unauthorized } from '../../lib/errors.js';
import { AuthUser, Event, Venue } from '../../models/index.js';
import { audit } from '../audit/writer.js';
import { isUuid } from '../../lib/uuid.js';
import { diff } from '../events/changes.js';
import { authorizeVenueWrite, canSeeVenue } from './policy.js';
import type { VenueInput } from './schema.js';

/** Finds a venue by uuid (404 for a malformed uuid or one the actor may not see). */
export async function findVenue(ctx: Context, uuid: string, lock = false): Promise<Venue> {
  if (!isUuid(uuid)) throw new NotFound('Venue');
  // No join here: a row lock cannot cover the nullable side of an outer join.
  const venue = await Venue.findOne({
    where: { uuid: uuid.toLowerCase() },
    transaction: ctx.transaction,
    ...(lock && ctx.transaction ? { lock: ctx.transaction.LOCK.UPDATE } : {}),
  });
  if (!venue || !canSeeVenue(ctx.actor, venue)) throw new NotFound('Venue');
  if (venue.created_by_id) {
    venue.created_by = await AuthUser.findByPk(venue.created_by_id, { attributes: ['id', 'uuid'], transaction: ctx.transaction });
  }
  return venue;
}

/** Stored form of the input: coordinates as DECIMAL strings. */
function columns(input: VenueInput): Record<string, unknown> {
  const { latitude, longitude, ...rest } = input;
  return {
    ...rest,
    ...(latitude !== undefined ? { latitude: latitude === null ? null : latitude.toFixed(6) } : {}),
    ...(longitude !== undefined ? { longitude: longitude === null ? null : longitude.toFixed(6) } : {}),
  };
}

export async function createVenue(ctx: Context, input: VenueInput & { name: string }): Promise<Venue> {
  if (!ctx.actor) throw new Unauthorized();
  const actor = ctx.actor;
  return withTransaction(ctx, async (tx, ctx) => {
    const venue = await Venue.create({ ...columns(input), name: input.name, created_by_id: actor.id } as never, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'venues.create', object: { type: 'venue', id: venue.id, uuid: venue.uuid },
      newValues: { ...input },
    });
    return findVenue(ctx, venue.uuid);
  });
}

/** PATCH (absent fields kept) and PUT (the route fills absent optional fields with null). */
export async function updateVenue(ctx: Context, uuid: string, input: VenueInput): Promise<Venue> {
  return withTransaction(ctx, async (tx, ctx) => {
    const venue = await findVenue(ctx, uuid, true);
    authorizeVenueWrite(ctx.actor, venue);
    const changes = columns(input);
    const { oldValues, newValues } = diff(venue, changes);
    if (Object.keys(newValues).length === 0) return venue;
    await venue.update(changes, { transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'venues.update', object: { type: 'venue', id: venue.id, uuid: venue.uuid }, oldValues, newValues,
    });
    return venue;
  });
}

/**
 * Deletes a venue: events keep pointing at a venue they used, so a referenced venue is only
 * deactivated (hidden from lists and new events); an unreferenced one is removed.
 */
export async function deleteVenue(ctx: Context, uuid: string): Promise<{ soft: boolean }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const venue = await findVenue(ctx, uuid, true);
    authorizeVenueWrite(ctx.actor, venue);
    const referenced = await Event.findOne({ where: { venue_id: venue.id }, attributes: ['id'], transaction: tx });
    const object = { type: 'venue', id: venue.id, uuid: venue.uuid };
    if (referenced) {
      if (venue.is_active) await venue.update({ is_active: false }, { transaction: tx });
      await audit(ctx, {
        action: 'update', command: 'venues.deactivate', object, oldValues: { is_active: true }, newValues: { is_active: false },
      });
      return { soft: true };
    }
    const before = { name: venue.name, city: venue.city, venue_type: venue.venue_type, is_active: venue.is_active };
    await venue.destroy({ transaction: tx });
    await audit(ctx, { action: 'delete', command: 'venues.delete', object, oldValues: before, severity: 'medium' });
    return { soft: false };
  });
}
