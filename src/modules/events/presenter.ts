import { Op, type Transaction } from 'sequelize';
import { formatMoney } from '../../lib/money.js';
import { AuthUser, EventImage, EventInterestMap, Venue, type Event, type EventInterest } from '../../models/index.js';
import { presentInterest } from './interests.js';

type Loaded = Event & { host: AuthUser; interests: EventInterest[] };

/**
 * Loads host (with profile name), venue and interests for a page of events in three queries,
 * whatever the page size — no per-row lookups.
 */
export async function loadRelations(events: Event[], tx?: Transaction): Promise<Loaded[]> {
  if (events.length === 0) return [];
  const ids = events.map((e) => e.id);
  const hostIds = [...new Set(events.map((e) => e.host_id))];
  const venueIds = [...new Set(events.map((e) => e.venue_id).filter((v): v is number => v != null))];
  const [hosts, venues, links] = await Promise.all([
    AuthUser.findAll({
      where: { id: hostIds }, attributes: ['id', 'uuid', 'first_name', 'last_name'],
      include: [{ association: 'profile', attributes: ['id', 'name'] }], transaction: tx,
    }),
    venueIds.length ? Venue.findAll({ where: { id: venueIds }, transaction: tx }) : Promise.resolve([] as Venue[]),
    EventInterestMap.findAll({
      where: { event_id: { [Op.in]: ids } }, include: [{ association: 'interest' }],
      order: [['id', 'ASC']], transaction: tx,
    }),
  ]);
  const hostById = new Map(hosts.map((h) => [h.id, h]));
  const venueById = new Map(venues.map((v) => [v.id, v]));
  for (const event of events) {
    event.host = hostById.get(event.host_id)!;
    event.venue = event.venue_id ? venueById.get(event.venue_id) ?? null : null;
    event.interests = links.filter((l) => l.event_id === event.id && l.interest).map((l) => l.interest!);
  }
  return events as Loaded[];
}

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

export const imagesOf = (eventId: number, tx?: Transaction) =>
  EventImage.findAll({ where: { event_id: eventId }, order: [['position', 'ASC'], ['id', 'ASC']], transaction: tx });

export async function presentEventDetail(e: Event, tx?: Transaction) {
  const [[loaded], images] = await Promise.all([loadRelations([e], tx), imagesOf(e.id, tx)]);
  return { ...presentEvent(loaded!), images: images.map(presentImage) };
}
