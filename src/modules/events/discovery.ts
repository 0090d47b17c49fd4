import { QueryTypes } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { Unauthorized, ValidationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/uuid.js';
import { discoveryQuery, presentDiscoveryRow, type DiscoveryRow } from './discovery-query.js';
import type { EventListFilters } from './schema.js';

const PG_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

/**
 * GET /events: one statement (discovery-query.ts) and plain rows — no model instances, no per-row
 * lookups, no COUNT(*) — presented by presentDiscoveryRow. The cursor holds the last row's exact
 * start_time (as PostgreSQL text, microseconds kept) and uuid, so rows inserted while a client
 * pages never make it see a row twice or skip one that existed.
 */
export async function discoverEvents(ctx: Context, q: EventListFilters) {
  if (q.mine && !ctx.actor) throw new Unauthorized('mine=true needs an access token');
  const cursor = decodeCursor(q.cursor, 2);
  let after: [string, string] | undefined;
  if (cursor) {
    const [time, uuid] = cursor;
    if (typeof time !== 'string' || !PG_TIME.test(time) || typeof uuid !== 'string' || !isUuid(uuid)) {
      throw ValidationFailed.field('cursor', 'is not a valid cursor');
    }
    after = [time, uuid];
  }
  const { text, values } = discoveryQuery({
    ...(q.mine ? { mine: ctx.actor!.id } : {}),
    search: q.search, interest: q.interest, city: q.city, starts_after: q.starts_after, starts_before: q.starts_before,
    is_paid: q.is_paid, host: q.host, ascending: q.ordering === 'start_time', after, page_size: q.page_size,
  });
  const rows = await sequelize().query<DiscoveryRow>(text, { bind: values, type: QueryTypes.SELECT, raw: true });
  const more = rows.length > q.page_size;
  const kept = more ? rows.slice(0, q.page_size) : rows;
  const last = kept[kept.length - 1];
  return {
    results: kept.map(presentDiscoveryRow),
    next: more && last ? encodeCursor([last.cursor_time, last.uuid]) : null,
  };
}
