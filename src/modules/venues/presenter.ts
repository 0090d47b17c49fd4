import type { Venue } from '../../models/index.js';

/** Venue → public JSON. Coordinates are DECIMAL strings in the database, numbers in JSON. */
export function presentVenue(v: Venue) {
  return {
    uuid: v.uuid,
    name: v.name,
    address: v.address ?? null,
    city: v.city ?? null,
    venue_type: v.venue_type,
    capacity: v.capacity,
    latitude: v.latitude == null ? null : Number(v.latitude),
    longitude: v.longitude == null ? null : Number(v.longitude),
    metadata: v.metadata ?? {},
    is_active: v.is_active,
    created_by: v.created_by ? { uuid: v.created_by.uuid } : null,
    created_at: v.created_at.toISOString(),
    updated_at: v.updated_at.toISOString(),
  };
}
