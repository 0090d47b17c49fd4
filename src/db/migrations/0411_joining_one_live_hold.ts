import type { QueryInterface } from 'sequelize';

/*
 * "A person holds seats once" was a check-then-insert in joining_hold: a request accept and an
 * invite accept for the same person at the same instant could both pass the check and leave two
 * live holds (capacity still held, but the person held twice). A partial unique index makes the
 * database refuse the second live hold; joining_hold first releases the person's own expired holds
 * (they no longer count, and would otherwise block a new hold until the sweeper ran) and turns the
 * unique violation into the same LJ003 refusal. The index also serves the "already holding" lookup.
 */
const HOLD_HEAD = `
CREATE OR REPLACE FUNCTION joining_hold(
  p_event BIGINT, p_user BIGINT, p_seats INT, p_expires_at TIMESTAMPTZ, p_request BIGINT, p_invite BIGINT, p_now TIMESTAMPTZ)
RETURNS capacity_reservation LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v capacity_reservation;
BEGIN
  IF EXISTS (SELECT 1 FROM event_attendee WHERE event_id = p_event AND user_id = p_user AND status IN ('going', 'checked_in', 'maybe')) THEN
    RAISE EXCEPTION 'Already attending this event' USING ERRCODE = 'LJ002';
  END IF;`;

const CHECK_AND_INSERT = `
  IF EXISTS (SELECT 1 FROM capacity_reservation WHERE event_id = p_event AND user_id = p_user
               AND NOT consumed AND released_at IS NULL AND expires_at > p_now) THEN
    RAISE EXCEPTION 'Seats are already held for you at this event' USING ERRCODE = 'LJ003';
  END IF;
  INSERT INTO capacity_reservation (event_id, user_id, seats_reserved, consumed, expires_at, request_id, invite_id)
  VALUES (p_event, p_user, p_seats, false, p_expires_at, p_request, p_invite)
  RETURNING * INTO v;`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    -- Existing duplicates (possible before this migration): keep each person's newest live hold.
    UPDATE capacity_reservation r SET released_at = now()
     WHERE NOT r.consumed AND r.released_at IS NULL AND EXISTS (
       SELECT 1 FROM capacity_reservation n WHERE n.event_id = r.event_id AND n.user_id = r.user_id
          AND NOT n.consumed AND n.released_at IS NULL AND n.id > r.id);
    CREATE UNIQUE INDEX capacity_reservation_one_live_per_user ON capacity_reservation (event_id, user_id)
      WHERE NOT consumed AND released_at IS NULL;
    ${HOLD_HEAD}
  UPDATE capacity_reservation SET released_at = p_now
   WHERE event_id = p_event AND user_id = p_user AND NOT consumed AND released_at IS NULL AND expires_at <= p_now;
  BEGIN
    ${CHECK_AND_INSERT}
  EXCEPTION WHEN unique_violation THEN
    -- A concurrent transaction just gave this person a live hold here.
    RAISE EXCEPTION 'Seats are already held for you at this event' USING ERRCODE = 'LJ003';
  END;
  RETURN v;
END
$fn$;
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    DROP INDEX IF EXISTS capacity_reservation_one_live_per_user;
    ${HOLD_HEAD}
    ${CHECK_AND_INSERT}
  RETURN v;
END
$fn$;
  `);
}
