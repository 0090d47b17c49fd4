import { plpgsql } from './define.js';
import { raiseSql } from './joining-rules.js';

/**
 * The one seating function (docs/decisions/0424-one-seating-path.md). p_hold_until: a hold;
 * p_reservation: that hold paid for (a dead one too, its seats claimed afresh); neither: free admission.
 * Then the given notification, audit and host-event rows, and the capacity claim last (0420-capacity-claim.md).
 */
export default plpgsql({
  name: 'joining_seat',
  args: 'p_event bigint, p_user bigint, p_seats integer, p_now timestamp with time zone, p_request bigint, p_invite bigint, '
    + 'p_pending_delta integer, p_hold_until timestamp with time zone, p_reservation bigint, p_order bigint, p_price_paid numeric, '
    + 'p_platform_fee numeric, p_secret_salt text, p_secret_hash text, p_secret_lookup text, p_notifications jsonb, p_audit jsonb, '
    + 'p_admit_audit jsonb, p_host_events jsonb, OUT attendee event_attendee, OUT reservation capacity_reservation, OUT ticket attendance_record',
  returns: 'record',
  body: `
DECLARE
  v_admitted RECORD;
  v_going INT := p_seats;
  v_request BIGINT := p_request;
  v_audit JSONB := COALESCE(p_audit, '[]'::jsonb);
BEGIN
  -- Checked at commit, after the claim has locked the event row (migration 1100).
  SET CONSTRAINTS event_attendee_event_id_fkey, attendance_record_event_id_fkey, capacity_reservation_event_id_fkey,
    webhook_message_event_id_fkey DEFERRED;
  IF p_hold_until IS NOT NULL THEN
    reservation := joining_hold(p_event, p_user, p_seats, p_hold_until, p_request, p_invite, p_now);
    v_going := 0;
  ELSE
    IF p_reservation IS NOT NULL THEN
      -- The row lock makes a second, racing fulfilment of the same hold see it consumed.
      SELECT * INTO reservation FROM capacity_reservation
       WHERE id = p_reservation AND event_id = p_event AND user_id = p_user FOR UPDATE;
      IF NOT FOUND THEN
        ${raiseSql('holdNotPayable', "'gone'")}
      ELSIF reservation.consumed THEN
        ${raiseSql('holdNotPayable', "'already paid for'")}
      END IF;
      -- A late payment is honoured if seats are free: a dead hold no longer counts, the claim below
      -- counts its seats again. A released hold stays released (consumed and released exclude each other).
      IF reservation.released_at IS NULL THEN
        UPDATE capacity_reservation SET consumed = true, updated_at = p_now WHERE id = p_reservation RETURNING * INTO reservation;
      END IF;
      v_going := reservation.seats_reserved;
      v_request := COALESCE(p_request, reservation.request_id);
    END IF;
    SELECT * INTO v_admitted FROM joining_admit(p_event, p_user, v_request, v_going, p_reservation IS NOT NULL,
      COALESCE(p_price_paid, 0), COALESCE(p_platform_fee, 0), CASE WHEN p_reservation IS NULL THEN 'unpaid' ELSE 'paid' END,
      p_order, p_secret_salt, p_secret_hash, p_secret_lookup, p_now);
    IF NOT FOUND THEN
      ${raiseSql('alreadyAttending')}
    END IF;
    attendee := v_admitted.attendee;
    ticket := v_admitted.ticket;
    IF p_admit_audit IS NOT NULL THEN
      v_audit := v_audit || jsonb_build_array(p_admit_audit || jsonb_build_object(
        'object_id', attendee.id, 'object_uuid', attendee.uuid, 'action', CASE WHEN v_admitted.reused THEN 'update' ELSE 'create' END));
    END IF;
  END IF;

  INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
                            email_status, email_next_attempt_at)
  SELECT recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
         email_status, email_next_attempt_at
    FROM jsonb_populate_recordset(NULL::notification, COALESCE(p_notifications, '[]'::jsonb));

  INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
                         subject_digest, created_at, updated_at)
  SELECT actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
         subject_digest, created_at, created_at
    FROM jsonb_populate_recordset(NULL::audit_log, v_audit);

  -- Host webhooks' outbox rows built by hostEventRow() (src/modules/webhooks/writer.ts), kept only for
  -- hosts with an active endpoint subscribed to the type, as emitHostEvent() does.
  INSERT INTO webhook_message (host_id, event_id, type, payload, created_at, updated_at)
  SELECT r.host_id, r.event_id, r.type, r.payload, r.created_at, r.created_at
    FROM jsonb_populate_recordset(NULL::webhook_message, COALESCE(p_host_events, '[]'::jsonb)) r
   WHERE EXISTS (SELECT 1 FROM webhook_endpoint e WHERE e.host_id = r.host_id AND e.is_active AND r.type = ANY (e.events));

  -- Last: the event row is locked from here to the commit only.
  PERFORM 1 FROM joining_claim_seats(p_event, v_going, p_pending_delta, p_now);
  IF NOT FOUND THEN
    ${raiseSql('claimFailed')}
  END IF;
END
`,
});
