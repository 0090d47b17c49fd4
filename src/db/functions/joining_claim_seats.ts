import { plpgsql } from './define.js';
import { liveHoldSql, openForJoiningSql } from './joining-rules.js';

/**
 * The capacity claim every seat-taking write ends with: lock the event, then in a fresh statement
 * check going + live holds + n <= max_capacity and count the seats. Returns no row when full or
 * closed. Why last, why NO KEY UPDATE, why two statements: docs/decisions/0001-capacity-claim.md.
 */
export default plpgsql({
  name: 'joining_claim_seats',
  args: 'p_event bigint, p_going integer, p_pending_delta integer, p_now timestamp with time zone',
  returns: 'TABLE(new_going_count integer, new_requests_count integer)',
  body: `
BEGIN
  PERFORM 1 FROM event WHERE id = p_event FOR NO KEY UPDATE;
  RETURN QUERY
  UPDATE event e
     SET going_count = e.going_count + p_going,
         requests_count = e.requests_count + p_pending_delta,
         updated_at = p_now
   WHERE e.id = p_event AND ${openForJoiningSql('e.', 'p_now')}
     AND (e.max_capacity = 0 OR e.going_count + p_going + (
           SELECT COALESCE(SUM(r.seats_reserved), 0) FROM capacity_reservation r
            WHERE r.event_id = p_event AND ${liveHoldSql('r.', 'p_now')}
         ) <= e.max_capacity)
  RETURNING e.going_count, e.requests_count;
END
`,
});
