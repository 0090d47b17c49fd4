import type { QueryInterface } from 'sequelize';

/**
 * One reminder per attendee per event: the reminder job inserts set-based with ON CONFLICT DO
 * NOTHING against this index, so reruns and concurrent instances never remind twice.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`CREATE UNIQUE INDEX notification_one_event_reminder ON notification (recipient_id, reference_id)
    WHERE type = 'reminder' AND reference_type = 'event'`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('DROP INDEX IF EXISTS notification_one_event_reminder');
}
