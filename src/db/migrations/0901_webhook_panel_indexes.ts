import type { QueryInterface } from 'sequelize';

/*
 * The panel filters the host-webhook outbox and delivery log by event, type and status; on big
 * tables each filter must be served by an index (test/admin/filter-indexes). event_id is also a
 * foreign key, which every FK here gets an index for.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
CREATE INDEX webhook_message_event ON webhook_message (event_id);
CREATE INDEX webhook_message_type ON webhook_message (type, id);
CREATE INDEX webhook_delivery_status ON webhook_delivery (status, id);`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP INDEX IF EXISTS webhook_delivery_status;
DROP INDEX IF EXISTS webhook_message_type;
DROP INDEX IF EXISTS webhook_message_event;`);
}
