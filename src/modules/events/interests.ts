import { Op, type Transaction } from 'sequelize';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ValidationFailed } from '../../lib/errors.js';
import { toPage } from '../../http/pagination.js';
import { EventInterest, EventInterestMap } from '../../models/index.js';
import { isUuid } from '../../lib/uuid.js';

export const presentInterest = (i: EventInterest) => ({ uuid: i.uuid, name: i.name, slug: i.slug });

/** Active interests by name (keyset on name, uuid). */
export async function listInterests(query: { cursor?: string; page_size: number }) {
  const cursor = decodeCursor(query.cursor, 2);
  const after = cursor
    ? (() => {
      const [name, uuid] = cursor;
      if (typeof name !== 'string' || typeof uuid !== 'string' || !isUuid(uuid)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
      return { [Op.or]: [{ name: { [Op.gt]: name } }, { name, uuid: { [Op.gt]: uuid } }] };
    })()
    : {};
  const rows = await EventInterest.findAll({
    where: { is_active: true, ...after },
    order: [['name', 'ASC'], ['uuid', 'ASC']],
    limit: query.page_size + 1,
  });
  return toPage(rows, query.page_size, presentInterest, (i) => encodeCursor([i.name, i.uuid]));
}

/** Resolves 1–5 interest references (slug or uuid) to active interests; anything else is a 400 on `event_interests`. */
export async function resolveInterests(refs: string[], tx: Transaction): Promise<EventInterest[]> {
  const uuids = refs.filter(isUuid).map((r) => r.toLowerCase());
  const slugs = refs.filter((r) => !isUuid(r));
  const found = await EventInterest.findAll({
    where: { is_active: true, [Op.or]: [{ uuid: uuids }, { slug: slugs }] },
    transaction: tx,
  });
  const known = (ref: string) => found.some((i) => i.slug === ref || i.uuid === ref.toLowerCase());
  const unknown = refs.filter((r) => !known(r));
  if (unknown.length) throw ValidationFailed.field('event_interests', `unknown or inactive interest: ${unknown.join(', ')}`);
  const unique = [...new Map(found.map((i) => [i.id, i])).values()];
  if (unique.length !== refs.length) throw ValidationFailed.field('event_interests', 'must not repeat an interest');
  return unique;
}

/** Replaces an event's interests with `interests`. */
export async function setEventInterests(eventId: number, interests: EventInterest[], tx: Transaction): Promise<void> {
  await EventInterestMap.destroy({ where: { event_id: eventId, eventinterest_id: { [Op.notIn]: interests.map((i) => i.id) } }, transaction: tx });
  await EventInterestMap.bulkCreate(
    interests.map((i) => ({ event_id: eventId, eventinterest_id: i.id })),
    { transaction: tx, ignoreDuplicates: true },
  );
}

/** How many active interests an event has (publishing needs 1–5). */
export const countActiveInterests = (eventId: number, tx: Transaction) =>
  EventInterestMap.count({ where: { event_id: eventId }, include: [{ association: 'interest', where: { is_active: true }, required: true }], transaction: tx });
