import { QueryTypes } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { Unauthorized, ValidationFailed } from '../../lib/errors.js';
import { Event } from '../../models/index.js';
import { isUuid } from '../../lib/uuid.js';
import { presentEvent } from './presenter.js';
import { loadRelations } from './views.js';
import type { EventListFilters } from './schema.js';
import { containsPattern } from '../../lib/like.js';

const PG_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/;

/**
 * GET /events. One keyset query over (start_time, uuid) — the order of the partial covering index
 * event_listed_start_uuid (migration 0302), walked forwards or backwards — then host, venue and
 * interests for the page in three more queries. No COUNT(*). The cursor holds the last row's exact
 * start_time (as PostgreSQL text, microseconds kept) and uuid, so rows inserted while a client
 * pages never make it see a row twice or skip one that existed.
 *
 * The visibility predicate is written exactly as the partial indexes' WHERE clause so the planner
 * can use them.
 */
export async function discoverEvents(ctx: Context, q: EventListFilters) {
  const where: string[] = [];
  const bind: Record<string, unknown> = {};
  if (q.mine) {
    if (!ctx.actor) throw new Unauthorized('mine=true needs an access token');
    where.push('e.host_id = $actor AND e.is_active');
    bind.actor = ctx.actor.id;
  } else {
    where.push("e.status = 'published' AND e.is_public AND e.is_active");
  }
  if (q.search) {
    where.push('(lower(e.title) LIKE $search OR lower(e.description) LIKE $search)');
    bind.search = containsPattern(q.search.toLowerCase());
  }
  if (q.interest) {
    where.push(`EXISTS (SELECT 1 FROM event_interest_map m WHERE m.event_id = e.id
      AND m.eventinterest_id = (SELECT i.id FROM event_interest i WHERE i.slug = $interest))`);
    bind.interest = q.interest.toLowerCase();
  }
  if (q.city) {
    where.push('e.venue_id IN (SELECT v.id FROM venue v WHERE lower(v.city) = $city)');
    bind.city = q.city.toLowerCase();
  }
  if (q.starts_after) {
    where.push('e.start_time >= $after');
    bind.after = new Date(q.starts_after);
  }
  if (q.starts_before) {
    where.push('e.start_time <= $before');
    bind.before = new Date(q.starts_before);
  }
  if (q.is_paid !== undefined) {
    where.push('e.is_paid = $paid');
    bind.paid = q.is_paid;
  }
  if (q.host) {
    where.push('e.host_id = (SELECT u.id FROM auth_user u WHERE u.uuid = $host)');
    bind.host = q.host.toLowerCase();
  }
  const asc = q.ordering === 'start_time';
  const cursor = decodeCursor(q.cursor, 2);
  if (cursor) {
    const [time, uuid] = cursor;
    if (typeof time !== 'string' || !PG_TIME.test(time) || typeof uuid !== 'string' || !isUuid(uuid)) {
      throw ValidationFailed.field('cursor', 'is not a valid cursor');
    }
    where.push(`(e.start_time, e.uuid) ${asc ? '>' : '<'} ($ctime::timestamptz, $cuuid::uuid)`);
    bind.ctime = time;
    bind.cuuid = uuid;
  }
  const dir = asc ? 'ASC' : 'DESC';
  // The inner query finds the page's ids from the covering index alone (index-only scan: every
  // filter but search reads columns the index carries); only the page's rows are then fetched.
  const rows = await sequelize().query<Event>(
    `SELECT e.*, e.start_time::text AS cursor_time
     FROM (SELECT e.id FROM event e WHERE ${where.join(' AND ')}
           ORDER BY e.start_time ${dir}, e.uuid ${dir} LIMIT ${q.page_size + 1}) page
     JOIN event e ON e.id = page.id
     ORDER BY e.start_time ${dir}, e.uuid ${dir}`,
    { bind, type: QueryTypes.SELECT, model: Event, mapToModel: true },
  );
  const more = rows.length > q.page_size;
  const kept = more ? rows.slice(0, q.page_size) : rows;
  const loaded = await loadRelations(kept);
  const last = kept[kept.length - 1];
  return {
    results: loaded.map(presentEvent),
    next: more && last ? encodeCursor([String(last.get('cursor_time')), last.uuid]) : null,
  };
}
