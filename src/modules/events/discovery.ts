import type pg from 'pg';
import { DatabaseError } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { Unauthorized, ValidationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/uuid.js';
import { discoveryQuery, presentDiscoveryRow, type DiscoveryRow } from './discovery-query.js';
import type { EventListFilters } from './schema.js';

/**
 * One read-only statement on a pooled pg client, straight: Sequelize's per-query work (scanning
 * the SQL for bind parameters, formatting, result handling) showed in the discovery profile, and
 * this statement needs none of it (bench/scenarios/discovery.ts).
 */
async function rawSelect<T>(text: string, values: unknown[]): Promise<T[]> {
  const db = sequelize();
  const manager = db.connectionManager;
  // The app's SQL log is Sequelize's `logging` option: honoured here too.
  const { logging } = (db as unknown as { options: { logging?: unknown } }).options;
  if (typeof logging === 'function') (logging as (sql: string) => void)(text);
  const client = (await manager.getConnection({ type: 'read' })) as pg.ClientBase;
  try {
    return (await client.query(text, values)).rows as T[];
  } catch (err) {
    // As Sequelize would raise it, so the problem mapping (src/http/problem.ts) treats it alike.
    throw Object.assign(new DatabaseError(err as Error & { sql: string; parameters: object }), { sql: text });
  } finally {
    manager.releaseConnection(client as never);
  }
}

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
  const rows = await rawSelect<DiscoveryRow>(text, values);
  const more = rows.length > q.page_size;
  const kept = more ? rows.slice(0, q.page_size) : rows;
  const last = kept[kept.length - 1];
  return {
    results: kept.map(presentDiscoveryRow),
    next: more && last ? encodeCursor([last.cursor_time, last.uuid]) : null,
  };
}
