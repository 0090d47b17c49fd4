import type { QueryInterface } from 'sequelize';

/*
 * Tickets and check-in (src/modules/attendance).
 * - checkin_signing_key: every public key that ever signed a qr_payload, by kid, so the JWKS keeps
 *   the older keys after TICKET_SIGNING_KEY is rotated (door devices may hold QR codes signed before).
 * - checkin_scan: offline scans uploaded by door devices, one per (event, scan_id): a re-upload answers
 *   the stored result instead of counting twice.
 * - attendance_otp_one_live: "a new code voids the old" as a constraint — at most one unused code per ticket.
 * - attendance_record (event_id, status, id): the host's and the panel's attendance list per event
 *   filtered by status, newest first, straight off the index; (event_id, id) walks the door list;
 *   (status, id) serves the panel's status filter on its own. They replace (event_id, status).
 * - event partial indexes for the completion job: published events past their end, and past events
 *   still counting pending requests.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
CREATE TABLE checkin_signing_key (
  id          BIGSERIAL PRIMARY KEY,
  kid         VARCHAR(64) NOT NULL UNIQUE,
  public_jwk  JSONB NOT NULL,
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE checkin_scan (
  id                    BIGSERIAL PRIMARY KEY,
  event_id              BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  scan_id               VARCHAR(100) NOT NULL,
  attendance_record_id  BIGINT REFERENCES attendance_record(id) ON DELETE CASCADE,
  device                VARCHAR(100) NOT NULL,
  scanned_at            TIMESTAMPTZ NOT NULL,
  result                VARCHAR(10) NOT NULL CHECK (result IN ('accepted', 'duplicate', 'invalid')),
  reason                TEXT,
  synced_by             BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (event_id, scan_id)
);
CREATE INDEX checkin_scan_record ON checkin_scan (attendance_record_id);

UPDATE attendance_otp o SET is_used = true, updated_at = now()
 WHERE NOT o.is_used AND EXISTS (
   SELECT 1 FROM attendance_otp n WHERE n.attendance_record_id = o.attendance_record_id AND NOT n.is_used AND n.id > o.id);
CREATE UNIQUE INDEX attendance_otp_one_live ON attendance_otp (attendance_record_id) WHERE NOT is_used;

CREATE INDEX attendance_record_event_status_id ON attendance_record (event_id, status, id);
CREATE INDEX attendance_record_event_id ON attendance_record (event_id, id);
CREATE INDEX attendance_record_status_id ON attendance_record (status, id);
DROP INDEX IF EXISTS attendance_record_event_status;

CREATE INDEX event_published_end ON event (end_time) WHERE status = 'published';
CREATE INDEX event_end_with_requests ON event (end_time) WHERE requests_count > 0;
`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP INDEX IF EXISTS event_end_with_requests;
DROP INDEX IF EXISTS event_published_end;
CREATE INDEX IF NOT EXISTS attendance_record_event_status ON attendance_record (event_id, status);
DROP INDEX IF EXISTS attendance_record_status_id;
DROP INDEX IF EXISTS attendance_record_event_id;
DROP INDEX IF EXISTS attendance_record_event_status_id;
DROP INDEX IF EXISTS attendance_otp_one_live;
DROP TABLE IF EXISTS checkin_scan;
DROP TABLE IF EXISTS checkin_signing_key;
`);
}
