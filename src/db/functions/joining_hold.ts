import { plpgsql } from './define.js';
import { attendingSql, liveHoldSql, openHoldSql, raiseSql } from './joining-rules.js';

/**
 * A hold of p_seats until p_expires_at, refused when the person already attends or holds live
 * seats here (the partial unique index capacity_reservation_one_live_per_user settles races).
 * Capacity is not checked here: joining_seat ends with joining_claim_seats.
 */
export default plpgsql({
  name: 'joining_hold',
  args: 'p_event bigint, p_user bigint, p_seats integer, p_expires_at timestamp with time zone, p_request bigint, p_invite bigint, p_now timestamp with time zone',
  returns: 'capacity_reservation',
  body: `
DECLARE
  v capacity_reservation;
BEGIN
  IF EXISTS (SELECT 1 FROM event_attendee WHERE event_id = p_event AND user_id = p_user AND ${attendingSql('status')}) THEN
    ${raiseSql('alreadyAttending')}
  END IF;
  -- The person's own expired holds no longer count; released now, they do not block the index.
  UPDATE capacity_reservation SET released_at = p_now
   WHERE event_id = p_event AND user_id = p_user AND ${openHoldSql('')} AND expires_at <= p_now;
  BEGIN
    IF EXISTS (SELECT 1 FROM capacity_reservation WHERE event_id = p_event AND user_id = p_user
                 AND ${liveHoldSql('', 'p_now')}) THEN
      ${raiseSql('alreadyHolding')}
    END IF;
    INSERT INTO capacity_reservation (event_id, user_id, seats_reserved, consumed, expires_at, request_id, invite_id)
    VALUES (p_event, p_user, p_seats, false, p_expires_at, p_request, p_invite)
    RETURNING * INTO v;
  EXCEPTION WHEN unique_violation THEN
    ${raiseSql('alreadyHolding')}
  END;
  RETURN v;
END
`,
});
