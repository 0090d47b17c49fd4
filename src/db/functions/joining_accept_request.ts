import { plpgsql } from './define.js';
import { raiseSql } from './joining-rules.js';

/**
 * Accepting a join request in one call: the request leaves pending (the conditional UPDATE locks
 * it and arbitrates racing accept/decline/cancel), then the requester is seated by joining_seat.
 * Why one call: docs/decisions/0002-accept-in-one-sql-call.md.
 */
export default plpgsql({
  name: 'joining_accept_request',
  args: 'p_request bigint, p_event bigint, p_seats integer, p_host_message text, p_now timestamp with time zone, '
    + 'p_hold_until timestamp with time zone, p_secret_salt text, p_secret_hash text, p_secret_lookup text, p_notifications jsonb, '
    + 'p_audit jsonb, p_admit_audit jsonb, OUT attendee event_attendee, OUT reservation capacity_reservation, OUT ticket attendance_record',
  returns: 'record',
  body: `
DECLARE
  v_requester BIGINT;
  v_status TEXT;
  v_seated RECORD;
BEGIN
  UPDATE event_request SET status = 'accepted', host_message = COALESCE(p_host_message, host_message), updated_at = p_now
   WHERE id = p_request AND event_id = p_event AND status = 'pending'
  RETURNING requester_id INTO v_requester;
  IF NOT FOUND THEN
    SELECT status INTO v_status FROM event_request WHERE id = p_request;
    ${raiseSql('requestNotPending', "COALESCE(v_status, 'gone')")}
  END IF;
  SELECT * INTO v_seated FROM joining_seat(p_event, v_requester, p_seats, p_now, p_request, NULL, -1, p_hold_until, NULL, NULL,
    NULL, NULL, p_secret_salt, p_secret_hash, p_secret_lookup, p_notifications, p_audit, p_admit_audit);
  attendee := v_seated.attendee;
  reservation := v_seated.reservation;
  ticket := v_seated.ticket;
END
`,
});
