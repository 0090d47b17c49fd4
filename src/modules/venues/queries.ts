import { Op, type WhereOptions } from 'sequelize';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { toPage } from '../../http/pagination.js';
import { Venue } from '../../models/index.js';
import { ValidationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/uuid.js';
import { presentVenue } from './presenter.js';
import type { z } from '../../lib/zod.js';
import type { VenueListQuery } from './schema.js';
import { containsPattern } from '../../lib/like.js';


/** Active venues by name (keyset on name, uuid), filtered by city, venue_type and a name search. */
export async function listVenues(query: z.infer<typeof VenueListQuery>) {
  const and: WhereOptions<Venue>[] = [{ is_active: true }];
  if (query.city) and.push(Venue.sequelize!.where(Venue.sequelize!.fn('lower', Venue.sequelize!.col('city')), query.city.toLowerCase()));
  if (query.venue_type) and.push({ venue_type: query.venue_type });
  if (query.search) and.push({ name: { [Op.iLike]: containsPattern(query.search) } });
  const cursor = decodeCursor(query.cursor, 2);
  if (cursor) {
    const [name, uuid] = cursor;
    if (typeof name !== 'string' || typeof uuid !== 'string' || !isUuid(uuid)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
    and.push({ [Op.or]: [{ name: { [Op.gt]: name } }, { name, uuid: { [Op.gt]: uuid } }] });
  }
  const rows = await Venue.findAll({
    where: { [Op.and]: and },
    include: [{ association: 'created_by', attributes: ['id', 'uuid'] }],
    order: [['name', 'ASC'], ['uuid', 'ASC']],
    limit: query.page_size + 1,
  });
  return toPage(rows, query.page_size, presentVenue, (v) => encodeCursor([v.name, v.uuid]));
}
