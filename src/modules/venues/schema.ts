import { z } from '../../lib/zod.js';
import { VENUE_TYPES } from '../../models/index.js';
import { PageQuery, page } from '../../http/pagination.js';

/** Venue input and output (ERD: name ≤ 150, city ≤ 100, capacity ≥ 0, lat −90..90, long −180..180). */
const venueFields = {
  name: z.string().trim().min(1).max(150),
  address: z.string().trim().max(1000).nullable().optional(),
  city: z.string().trim().max(100).nullable().optional(),
  venue_type: z.enum(VENUE_TYPES).default('indoor'),
  capacity: z.number().int().min(0).max(1_000_000).default(0).openapi({ description: '0 = unlimited' }),
  latitude: z.number().min(-90).max(90).nullable().optional(),
  longitude: z.number().min(-180).max(180).nullable().optional(),
  metadata: z.record(z.string(), z.unknown()).optional(),
};

const coordinatesPaired = (v: { latitude?: number | null; longitude?: number | null }) =>
  (v.latitude === undefined) === (v.longitude === undefined) && (v.latitude === null) === (v.longitude === null);
const pairMessage = { message: 'latitude and longitude are given together', path: ['longitude'] };

export const VenueBody = z.object(venueFields).strict().refine(coordinatesPaired, pairMessage).openapi('VenueBody');

/** PATCH: every field optional; absent fields keep their value. */
export const VenuePatch = z.object({
  ...venueFields,
  venue_type: venueFields.venue_type.removeDefault().optional(),
  capacity: z.number().int().min(0).max(1_000_000).optional(),
}).partial().strict().refine(coordinatesPaired, pairMessage).openapi('VenuePatch');

export type VenueInput = z.infer<typeof VenuePatch>;

export const VenueParams = z.object({ uuid: z.string().openapi({ description: 'Venue uuid' }) });

export const VenueListQuery = PageQuery.extend({
  city: z.string().trim().min(1).max(100).optional().openapi({ description: 'City, case-insensitive' }),
  venue_type: z.enum(VENUE_TYPES).optional(),
  search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Part of the name, case-insensitive' }),
});

export const VenueOut = z.object({
  uuid: z.uuid(),
  name: z.string(),
  address: z.string().nullable(),
  city: z.string().nullable(),
  venue_type: z.enum(VENUE_TYPES),
  capacity: z.number().int(),
  latitude: z.number().nullable(),
  longitude: z.number().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  is_active: z.boolean(),
  created_by: z.object({ uuid: z.uuid() }).nullable(),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi('Venue');

export const VenuePage = page(VenueOut).openapi('VenuePage');
