import type { QueryInterface } from 'sequelize';

/*
 * The waitlist (issue 16; shared model in docs/decisions/1000-waitlist-admission.md): events opt in
 * with waitlist_enabled; a waitlisted request is status 'waitlisted' with a FIFO number from its own
 * sequence, set exactly while it waits (the CHECK). The partial unique index serves the queue in
 * order (head, positions, counts, the panel's filter); one waitlisted request per person per event.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
ALTER TABLE event ADD COLUMN waitlist_enabled BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE event_request DROP CONSTRAINT event_request_status_check;
ALTER TABLE event_request ADD CONSTRAINT event_request_status_check
  CHECK (status IN ('pending','accepted','declined','cancelled','expired','waitlisted'));
CREATE SEQUENCE event_request_waitlist_seq AS BIGINT;
ALTER TABLE event_request ADD COLUMN waitlist_seq BIGINT;
ALTER TABLE event_request ADD CONSTRAINT event_request_waitlist_seq_while_waiting
  CHECK ((status = 'waitlisted') = (waitlist_seq IS NOT NULL));
CREATE UNIQUE INDEX event_request_waitlist ON event_request (event_id, waitlist_seq) WHERE status = 'waitlisted';
CREATE UNIQUE INDEX event_request_one_waitlisted ON event_request (event_id, requester_id) WHERE status = 'waitlisted';`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
UPDATE event_request SET status = 'expired', waitlist_seq = NULL WHERE status = 'waitlisted';
DROP INDEX IF EXISTS event_request_one_waitlisted;
DROP INDEX IF EXISTS event_request_waitlist;
ALTER TABLE event_request DROP CONSTRAINT event_request_waitlist_seq_while_waiting;
ALTER TABLE event_request DROP COLUMN waitlist_seq;
DROP SEQUENCE event_request_waitlist_seq;
ALTER TABLE event_request DROP CONSTRAINT event_request_status_check;
ALTER TABLE event_request ADD CONSTRAINT event_request_status_check
  CHECK (status IN ('pending','accepted','declined','cancelled','expired'));
ALTER TABLE event DROP COLUMN waitlist_enabled;`);
}
