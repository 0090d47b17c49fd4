import type { QueryInterface } from 'sequelize';

/*
 * Accepting a join request in ONE round trip (see src/modules/joining/commands/accept.ts).
 *
 * Measured before this: an accept was 9 statements in an explicit transaction; per-statement
 * client CPU and round trips bounded it (~240/s even spread over 32 events), and on one event the
 * event lock was held across the claim round trip, an event-loop hop and the COMMIT round trip.
 * Here the whole write runs inside the database, in autocommit: the event row is locked by the last
 * statement of the function and released by the implicit commit, with no client round trip between.
 *
 * Three functions, so that each row shape is spelled once:
 * - joining_admit: the going attendee + ticket upsert (also what admit() in attendees.ts runs);
 * - joining_hold: "a person holds seats once" + the capacity hold insert (also what seat() runs);
 * - joining_accept_request: the request transition, joining_admit or joining_hold, the notification
 *   and audit rows prepared by the JS writers, and joining_claim_seats (0400) LAST.
 *
 * Refusals are exceptions with SQLSTATEs of our own class 'LJ' (the whole call rolls back), and the
 * message is the Conflict detail the API shows:
 *   LJ001 'Request is <status>'   LJ002 'Already attending this event'
 *   LJ003 'Seats are already held for you at this event'   LJ004 the claim failed (full or closed;
 *   the command reads the event to tell which, as claimSeats does).
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
-- Both tables are unique per (event, user): an earlier, cancelled attendance is reused; a current one
-- (going, checked in, maybe) makes the upsert return no row (the caller answers 409). reused tells
-- the audit row 'create' from 'update' (xmax <> 0: the row came from ON CONFLICT DO UPDATE).
-- PL/pgSQL rather than SQL: its plans are cached per session; a SQL-language function returning a
-- set is planned again on every call (measured: ~2x the cost of the whole accept).
CREATE OR REPLACE FUNCTION joining_admit(
  p_event BIGINT, p_user BIGINT, p_request BIGINT, p_seats INT, p_is_paid BOOLEAN, p_price_paid NUMERIC,
  p_payment_status TEXT, p_now TIMESTAMPTZ, OUT attendee event_attendee, OUT reused BOOLEAN)
RETURNS SETOF record LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
  RETURN QUERY
  WITH a AS (
    INSERT INTO event_attendee AS t (event_id, user_id, request_id, seats, status, is_paid, price_paid, created_at, updated_at)
    VALUES (p_event, p_user, p_request, p_seats, 'going', p_is_paid, p_price_paid, p_now, p_now)
    ON CONFLICT (event_id, user_id) DO UPDATE
      SET request_id = EXCLUDED.request_id, seats = EXCLUDED.seats, status = 'going', is_paid = EXCLUDED.is_paid,
          price_paid = EXCLUDED.price_paid, checked_in_at = NULL, updated_at = EXCLUDED.updated_at
      WHERE t.status NOT IN ('going', 'checked_in', 'maybe')
    RETURNING t AS row, (t.xmax::text <> '0') AS was_there
  ), r AS (
    INSERT INTO attendance_record (event_id, user_id, attendee_id, seats, status, payment_status, created_at, updated_at)
    SELECT (a.row).event_id, (a.row).user_id, (a.row).id, (a.row).seats, 'going', p_payment_status, p_now, p_now FROM a
    ON CONFLICT (event_id, user_id) DO UPDATE
      SET attendee_id = EXCLUDED.attendee_id, seats = EXCLUDED.seats, status = 'going', payment_status = EXCLUDED.payment_status,
          checked_in_at = NULL, checked_out_at = NULL, updated_at = EXCLUDED.updated_at
    RETURNING id
  )
  SELECT a.row, a.was_there FROM a;
END
$fn$;

-- A hold of p_seats until p_expires_at, refused when the person is already going or already holds
-- live seats at the event. Capacity is not checked here: the caller ends with joining_claim_seats.
CREATE OR REPLACE FUNCTION joining_hold(
  p_event BIGINT, p_user BIGINT, p_seats INT, p_expires_at TIMESTAMPTZ, p_request BIGINT, p_invite BIGINT, p_now TIMESTAMPTZ)
RETURNS capacity_reservation LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v capacity_reservation;
BEGIN
  IF EXISTS (SELECT 1 FROM event_attendee WHERE event_id = p_event AND user_id = p_user AND status IN ('going', 'checked_in', 'maybe')) THEN
    RAISE EXCEPTION 'Already attending this event' USING ERRCODE = 'LJ002';
  END IF;
  IF EXISTS (SELECT 1 FROM capacity_reservation WHERE event_id = p_event AND user_id = p_user
               AND NOT consumed AND released_at IS NULL AND expires_at > p_now) THEN
    RAISE EXCEPTION 'Seats are already held for you at this event' USING ERRCODE = 'LJ003';
  END IF;
  INSERT INTO capacity_reservation (event_id, user_id, seats_reserved, consumed, expires_at, request_id, invite_id)
  VALUES (p_event, p_user, p_seats, false, p_expires_at, p_request, p_invite)
  RETURNING * INTO v;
  RETURN v;
END
$fn$;

-- p_hold_until NULL: free event (attendee + ticket, going_count += seats); else a hold until then.
-- p_notifications / p_audit: JSON arrays of rows built by notificationRow() / auditRow();
-- p_admit_audit: the attendee's audit row, completed here with the attendee's id, uuid and action.
CREATE OR REPLACE FUNCTION joining_accept_request(
  p_request BIGINT, p_event BIGINT, p_seats INT, p_host_message TEXT, p_now TIMESTAMPTZ, p_hold_until TIMESTAMPTZ,
  p_notifications JSONB, p_audit JSONB, p_admit_audit JSONB,
  OUT attendee event_attendee, OUT reservation capacity_reservation)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  v_requester BIGINT;
  v_status TEXT;
  v_admitted RECORD;
  v_audit JSONB := p_audit;
BEGIN
  -- The conditional UPDATE locks the request row and arbitrates racing accept/decline/cancel.
  UPDATE event_request SET status = 'accepted', host_message = COALESCE(p_host_message, host_message), updated_at = p_now
   WHERE id = p_request AND event_id = p_event AND status = 'pending'
  RETURNING requester_id INTO v_requester;
  IF NOT FOUND THEN
    SELECT status INTO v_status FROM event_request WHERE id = p_request;
    RAISE EXCEPTION 'Request is %', COALESCE(v_status, 'gone') USING ERRCODE = 'LJ001';
  END IF;

  IF p_hold_until IS NULL THEN
    SELECT * INTO v_admitted FROM joining_admit(p_event, v_requester, p_request, p_seats, false, 0, 'unpaid', p_now);
    IF NOT FOUND THEN
      RAISE EXCEPTION 'Already attending this event' USING ERRCODE = 'LJ002';
    END IF;
    attendee := v_admitted.attendee;
    v_audit := v_audit || jsonb_build_array(p_admit_audit || jsonb_build_object(
      'object_id', attendee.id, 'object_uuid', attendee.uuid, 'action', CASE WHEN v_admitted.reused THEN 'update' ELSE 'create' END));
  ELSE
    reservation := joining_hold(p_event, v_requester, p_seats, p_hold_until, p_request, NULL, p_now);
  END IF;

  INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
                            email_status, email_next_attempt_at)
  SELECT recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
         email_status, email_next_attempt_at
    FROM jsonb_populate_recordset(NULL::notification, p_notifications);

  INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
                         subject_digest, created_at, updated_at)
  SELECT actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
         subject_digest, created_at, created_at
    FROM jsonb_populate_recordset(NULL::audit_log, v_audit);

  -- Last: the event row is locked from here to the (implicit) commit only.
  PERFORM 1 FROM joining_claim_seats(p_event, CASE WHEN p_hold_until IS NULL THEN p_seats ELSE 0 END, -1, p_now);
  IF NOT FOUND THEN
    RAISE EXCEPTION 'Event is full' USING ERRCODE = 'LJ004';
  END IF;
END
$fn$;`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP FUNCTION IF EXISTS joining_accept_request(BIGINT, BIGINT, INT, TEXT, TIMESTAMPTZ, TIMESTAMPTZ, JSONB, JSONB, JSONB);
DROP FUNCTION IF EXISTS joining_hold(BIGINT, BIGINT, INT, TIMESTAMPTZ, BIGINT, BIGINT, TIMESTAMPTZ);
DROP FUNCTION IF EXISTS joining_admit(BIGINT, BIGINT, BIGINT, INT, BOOLEAN, NUMERIC, TEXT, TIMESTAMPTZ);`);
}
