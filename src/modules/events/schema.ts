import { z } from '../../lib/zod.js';
import { ALLOWED_GENDERS, EVENT_STATUSES, MAX_COVER_IMAGES, VENUE_TYPES } from '../../models/index.js';
import { isMoney, toMinor } from '../../lib/money.js';
import { PageQuery, page } from '../../http/pagination.js';

const Money = z.string().refine(isMoney, 'must be a decimal string with at most 2 places, e.g. "499.00"')
  .openapi({ example: '499.00' });
const Time = z.iso.datetime({ offset: true }).transform((s) => new Date(s))
  .openapi({ type: 'string', format: 'date-time', example: '2026-12-31T19:30:00+05:30' });
const InterestRef = z.string().trim().min(1).max(100).openapi({ description: 'Interest slug or uuid' });

const fields = {
  title: z.string().trim().min(3).max(200),
  description: z.string().trim().min(10).max(20_000),
  start_time: Time,
  end_time: Time,
  venue: z.uuid().nullable().optional().openapi({ description: 'uuid of an active venue' }),
  venue_text: z.string().trim().max(255).nullable().optional(),
  max_capacity: z.number().int().min(0).max(1_000_000).default(0).openapi({ description: '0 = unlimited' }),
  is_paid: z.boolean().default(false),
  ticket_price: Money.default('0.00').openapi({ description: '> 0 when is_paid, "0.00" when free' }),
  allow_plus_one: z.boolean().default(false),
  waitlist_enabled: z.boolean().default(false)
    .openapi({ description: 'When full, a host\'s accept puts the request on the waitlist (admitted in order as seats free up)' }),
  allowed_genders: z.enum(ALLOWED_GENDERS).default('all'),
  gst_number: z.string().trim().max(50).nullable().optional(),
  cover_images: z.array(z.url({ protocol: /^https?$/ }).max(2000)).min(1).max(MAX_COVER_IMAGES),
  event_interests: z.array(InterestRef).min(1).max(5)
    .refine((a) => new Set(a.map((s) => s.toLowerCase())).size === a.length, 'must not repeat an interest'),
  is_public: z.boolean().default(true),
};

type Checked = { start_time?: Date; end_time?: Date; is_paid?: boolean; ticket_price?: string };
/** Cross-field rules checkable from the body alone (PATCH re-checks them against the stored event). */
const crossChecked = <T extends z.ZodType<Checked>>(schema: T) => schema
  .refine((v) => !v.start_time || !v.end_time || v.end_time > v.start_time, { message: 'must be after start_time', path: ['end_time'] })
  .refine((v) => v.is_paid === undefined || v.ticket_price === undefined || isMoney(v.ticket_price) === false
    || (v.is_paid ? toMinor(v.ticket_price) > 0 : toMinor(v.ticket_price) === 0),
  { message: 'must be greater than 0 for a paid event and 0 for a free one', path: ['ticket_price'] });

export const EventBody = crossChecked(z.object(fields).strict()).openapi('EventBody');

/** PATCH: any subset of the fields; absent fields keep their stored value. */
export const EventPatch = crossChecked(z.object({
  ...fields,
  max_capacity: z.number().int().min(0).max(1_000_000),
  is_paid: z.boolean(),
  ticket_price: Money,
  allow_plus_one: z.boolean(),
  waitlist_enabled: z.boolean(),
  allowed_genders: z.enum(ALLOWED_GENDERS),
  is_public: z.boolean(),
}).partial().strict()).openapi('EventPatch');

export type EventInput = z.infer<typeof EventPatch>;

export const EventParams = z.object({ event: z.string().min(1).openapi({ description: 'Event uuid or slug' }) });
export const ImageParams = EventParams.extend({ uuid: z.string().min(1).openapi({ description: 'Image uuid' }) });

const Flag = z.enum(['true', 'false']).transform((v) => v === 'true');
export const EventListQuery = PageQuery.extend({
  search: z.string().trim().min(1).max(100).optional().openapi({ description: 'Words in the title or description (case-insensitive)' }),
  interest: z.string().trim().min(1).max(100).optional().openapi({ description: 'Interest slug' }),
  city: z.string().trim().min(1).max(100).optional().openapi({ description: "The venue's city (case-insensitive)" }),
  starts_after: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Start time at or after (inclusive)' }),
  starts_before: z.iso.datetime({ offset: true }).optional().openapi({ description: 'Start time at or before (inclusive)' }),
  is_paid: Flag.optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  host: z.uuid().optional().openapi({ description: "Host's uuid" }),
  mine: Flag.optional().openapi({ type: 'string', enum: ['true', 'false'], description: 'Your own events, drafts included (auth)' }),
  ordering: z.enum(['start_time', '-start_time']).default('-start_time')
    .openapi({ description: '`-start_time` (default): newest-starting first; `start_time`: soonest first' }),
});
export type EventListFilters = z.infer<typeof EventListQuery>;

export const ImageBody = z.object({ image_url: z.url({ protocol: /^https?$/ }).max(2000) }).strict().openapi('EventImageBody');
export const ImageOrderBody = z.object({
  uuids: z.array(z.uuid()).max(100).refine((a) => new Set(a).size === a.length, 'must not repeat an image'),
}).strict().openapi('EventImageOrder');

export const InterestOut = z.object({ uuid: z.uuid(), name: z.string(), slug: z.string() }).openapi('Interest');
export const InterestPage = page(InterestOut).openapi('InterestPage');
export const ImageOut = z.object({ uuid: z.uuid(), image_url: z.string(), position: z.number().int() }).openapi('EventImage');
export const ImageList = z.object({ results: z.array(ImageOut) }).openapi('EventImageList');

export const EventOut = z.object({
  uuid: z.uuid(),
  slug: z.string(),
  title: z.string(),
  description: z.string(),
  start_time: z.string(),
  end_time: z.string(),
  venue: z.object({ uuid: z.uuid(), name: z.string(), city: z.string().nullable(), venue_type: z.enum(VENUE_TYPES) }).nullable(),
  venue_text: z.string().nullable(),
  max_capacity: z.number().int(),
  is_paid: z.boolean(),
  ticket_price: z.string(),
  allow_plus_one: z.boolean(),
  waitlist_enabled: z.boolean(),
  allowed_genders: z.enum(ALLOWED_GENDERS),
  gst_number: z.string().nullable(),
  cover_images: z.array(z.string()),
  interests: z.array(InterestOut),
  is_public: z.boolean(),
  is_active: z.boolean(),
  status: z.enum(EVENT_STATUSES),
  going_count: z.number().int(),
  requests_count: z.number().int(),
  host: z.object({ uuid: z.uuid(), name: z.string() }),
  created_at: z.string(),
  updated_at: z.string(),
}).openapi('Event');

export const EventDetail = EventOut.extend({ images: z.array(ImageOut) }).openapi('EventDetail');
export const EventPage = page(EventOut).openapi('EventPage');
