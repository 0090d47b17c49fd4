import type { QueryInterface } from 'sequelize';

/*
 * The seating path's inserts reference the event row that its capacity claim locks last. Checked
 * per statement, each insert's foreign key takes FOR KEY SHARE on that row before the claim, so
 * every accept in flight becomes a locker of the row the claim holder updates (multixacts rebuilt on
 * each lock). DEFERRABLE lets joining_seat check them at commit, after its own claim, where they
 * cost nothing. Everywhere else they stay checked per statement (INITIALLY IMMEDIATE).
 * docs/decisions/0420-capacity-claim.md.
 */
const KEYS = ['event_attendee', 'attendance_record', 'capacity_reservation', 'webhook_message'];

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(KEYS.map((t) => `ALTER TABLE ${t} ALTER CONSTRAINT ${t}_event_id_fkey DEFERRABLE INITIALLY IMMEDIATE;`).join('\n'));
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(KEYS.map((t) => `ALTER TABLE ${t} ALTER CONSTRAINT ${t}_event_id_fkey NOT DEFERRABLE;`).join('\n'));
}
