import { plpgsql } from './define.js';
import { attendingSql } from './joining-rules.js';

/**
 * A going attendee, its ticket (ATTENDANCE_RECORD) and the ticket's secret, in one statement.
 * Unique per (event, user): a former, not attending row is reused with a fresh secret; a current
 * one returns no row. reused: the row came from ON CONFLICT DO UPDATE (xmax <> 0).
 */
export default plpgsql({
  name: 'joining_admit',
  args: 'p_event bigint, p_user bigint, p_request bigint, p_seats integer, p_is_paid boolean, p_price_paid numeric, '
    + 'p_platform_fee numeric, p_payment_status text, p_order bigint, p_secret_salt text, p_secret_hash text, p_secret_lookup text, '
    + 'p_now timestamp with time zone, OUT attendee event_attendee, OUT ticket attendance_record, OUT reused boolean',
  returns: 'SETOF record',
  body: `
BEGIN
  RETURN QUERY
  WITH a AS (
    INSERT INTO event_attendee AS t (event_id, user_id, request_id, seats, status, is_paid, price_paid, platform_fee, created_at, updated_at)
    VALUES (p_event, p_user, p_request, p_seats, 'going', p_is_paid, p_price_paid, p_platform_fee, p_now, p_now)
    ON CONFLICT (event_id, user_id) DO UPDATE
      SET request_id = EXCLUDED.request_id, seats = EXCLUDED.seats, status = 'going', is_paid = EXCLUDED.is_paid,
          price_paid = EXCLUDED.price_paid, platform_fee = EXCLUDED.platform_fee, checked_in_at = NULL, updated_at = EXCLUDED.updated_at
      WHERE NOT ${attendingSql('t.status')}
    RETURNING t AS row, (t.xmax::text <> '0') AS was_there
  ), r AS (
    INSERT INTO attendance_record AS t (event_id, user_id, attendee_id, seats, status, payment_status, payment_order_id, ticket_secret,
                                        created_at, updated_at)
    SELECT (a.row).event_id, (a.row).user_id, (a.row).id, (a.row).seats, 'going', p_payment_status, p_order, p_secret_lookup, p_now, p_now
      FROM a
    ON CONFLICT (event_id, user_id) DO UPDATE
      SET attendee_id = EXCLUDED.attendee_id, seats = EXCLUDED.seats, status = 'going', payment_status = EXCLUDED.payment_status,
          payment_order_id = EXCLUDED.payment_order_id, ticket_secret = EXCLUDED.ticket_secret,
          checked_in_at = NULL, checked_out_at = NULL, updated_at = EXCLUDED.updated_at
    RETURNING t AS row
  ), s AS (
    INSERT INTO ticket_secret AS t (attendance_record_id, secret_hash, secret_salt, secret_lookup, is_redeemed, redeemed_at,
                                    created_at, updated_at)
    SELECT (r.row).id, p_secret_hash, p_secret_salt, p_secret_lookup, false, NULL, p_now, p_now FROM r
    ON CONFLICT (attendance_record_id) DO UPDATE
      SET secret_hash = EXCLUDED.secret_hash, secret_salt = EXCLUDED.secret_salt, secret_lookup = EXCLUDED.secret_lookup,
          is_redeemed = false, redeemed_at = NULL, updated_at = EXCLUDED.updated_at
  )
  SELECT a.row, r.row, a.was_there FROM a, r;
END
`,
});
