import type { QueryInterface } from 'sequelize';

/*
 * The payments panel's filters (orders by provider and date, transactions by type, status and date,
 * deliveries by type and date) each served by an index, like every filter of a big table.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
CREATE INDEX payment_order_provider ON payment_order (payment_provider, created_at);
CREATE INDEX payment_order_created ON payment_order (created_at);
CREATE INDEX payment_transaction_type_status ON payment_transaction (transaction_type, status, created_at);
CREATE INDEX payment_transaction_status ON payment_transaction (status, created_at);
CREATE INDEX payment_transaction_created ON payment_transaction (created_at);
CREATE INDEX payment_webhook_type ON payment_webhook (webhook_type, created_at);
CREATE INDEX payment_webhook_created ON payment_webhook (created_at);
`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP INDEX IF EXISTS payment_webhook_created;
DROP INDEX IF EXISTS payment_webhook_type;
DROP INDEX IF EXISTS payment_transaction_created;
DROP INDEX IF EXISTS payment_transaction_status;
DROP INDEX IF EXISTS payment_transaction_type_status;
DROP INDEX IF EXISTS payment_order_created;
DROP INDEX IF EXISTS payment_order_provider;
`);
}
