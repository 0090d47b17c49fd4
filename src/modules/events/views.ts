import { Op, type Transaction } from 'sequelize';
import { AuthUser, EventImage, EventInterestMap, Venue, type Event } from '../../models/index.js';
import type { Loaded } from './presenter.js';

/** What the events presenters show, loaded in a fixed number of queries (presenters run none). */

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

/** An event's gallery in order. */
export const imagesOf = (eventId: number, tx?: Transaction) =>
  EventImage.findAll({ where: { event_id: eventId }, order: [['position', 'ASC'], ['id', 'ASC']], transaction: tx });

/** Everything the event page shows (presentEventDetail). */
export async function loadEventDetail(e: Event, tx?: Transaction): Promise<{ event: Loaded; images: EventImage[] }> {
  const [[event], images] = await Promise.all([loadRelations([e], tx), imagesOf(e.id, tx)]);
  return { event: event!, images };
}
