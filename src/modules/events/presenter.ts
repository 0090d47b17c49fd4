import { formatMoney } from '../../lib/money.js';
import type { AuthUser, Event, EventImage, EventInterest } from '../../models/index.js';
import { presentInterest } from './interests.js';

/** An event with what its public JSON shows, loaded by src/modules/events/views.ts. */
export type Loaded = Event & { host: AuthUser; interests: EventInterest[] };

export const hostName = (u: AuthUser): string =>
  u.profile?.name || `${u.first_name ?? ''} ${u.last_name ?? ''}`.trim() || 'Loopin host';

/** Event → public JSON: every field chosen; uuids, never ids; money as "499.00". */
export function presentEvent(e: Loaded) {
  return {
    uuid: e.uuid,
    slug: e.slug,
    title: e.title,
    description: e.description,
    start_time: e.start_time.toISOString(),
    end_time: e.end_time.toISOString(),
    venue: e.venue ? { uuid: e.venue.uuid, name: e.venue.name, city: e.venue.city ?? null, venue_type: e.venue.venue_type } : null,
    venue_text: e.venue_text ?? null,
    max_capacity: e.max_capacity,
    is_paid: e.is_paid,
    ticket_price: formatMoney(e.ticket_price),
    allow_plus_one: e.allow_plus_one,
    waitlist_enabled: e.waitlist_enabled,
    allowed_genders: e.allowed_genders,
    gst_number: e.gst_number ?? null,
    cover_images: e.cover_images ?? [],
    interests: e.interests.map(presentInterest),
    is_public: e.is_public,
    is_active: e.is_active,
    status: e.status,
    going_count: e.going_count,
    requests_count: e.requests_count,
    host: { uuid: e.host.uuid, name: hostName(e.host) },
    created_at: e.created_at.toISOString(),
    updated_at: e.updated_at.toISOString(),
  };
}

export const presentImage = (i: EventImage) => ({ uuid: i.uuid, image_url: i.image_url, position: i.position });

/** The event page: the event and its gallery, both loaded by loadEventDetail. */
export const presentEventDetail = (d: { event: Loaded; images: EventImage[] }) => ({ ...presentEvent(d.event), images: d.images.map(presentImage) });
