import type { QueryInterface } from 'sequelize';

/*
 * joining_claim_seats: the capacity claim that ends every seat-taking joining command (see
 * src/modules/joining/commands/capacity.ts for the invariant and why the lock comes last).
 *
 * It is a function only so the lock and the check travel in ONE round trip: the event row is then
 * held for this call plus the COMMIT, not for two client round trips plus the COMMIT, which is
 * what bounds throughput when many clients accept on one event. Two statements inside, on purpose:
 * a VOLATILE function takes a fresh snapshot for each statement (READ COMMITTED), so the UPDATE —
 * started after the lock was granted — sees every hold and going seat committed by earlier lock
 * holders. A single UPDATE with the held-seats subquery would re-check only the event row after
 * waiting and could miss a hold committed meanwhile.
 *
 * Returns one row (the new counters) when the seats fit and the event is open; no row otherwise.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
CREATE OR REPLACE FUNCTION joining_claim_seats(p_event BIGINT, p_going INT, p_pending_delta INT, p_now TIMESTAMPTZ)
RETURNS TABLE (new_going_count INT, new_requests_count INT)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  -- NO KEY UPDATE: excludes other claimers and counter updates, but not the FOR KEY SHARE locks
  -- that foreign keys of the caller's own attendee/hold inserts hold on this row.
  PERFORM 1 FROM event WHERE id = p_event FOR NO KEY UPDATE;
  RETURN QUERY
  UPDATE event e
     SET going_count = e.going_count + p_going,
         requests_count = e.requests_count + p_pending_delta,
         updated_at = p_now
   WHERE e.id = p_event AND e.status = 'published' AND e.is_active AND e.start_time > p_now
     AND (e.max_capacity = 0 OR e.going_count + p_going + (
           SELECT COALESCE(SUM(r.seats_reserved), 0) FROM capacity_reservation r
            WHERE r.event_id = p_event AND NOT r.consumed AND r.released_at IS NULL AND r.expires_at > p_now
         ) <= e.max_capacity)
  RETURNING e.going_count, e.requests_count;
END
$fn$;`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('DROP FUNCTION IF EXISTS joining_claim_seats(BIGINT, INT, INT, TIMESTAMPTZ);');
}
