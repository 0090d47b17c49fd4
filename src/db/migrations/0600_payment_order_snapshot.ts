import type { QueryInterface } from 'sequelize';

/*
 * Payments (issue 12): what an order is worth is frozen when it is placed.
 * - The snapshot: unit price, seats, platform fee (with the percent and fixed part it came from) and
 *   the host's share. Later config or price changes never alter it; the CHECKs tie it to `amount`.
 *   Nullable only for rows written before this migration.
 * - paid_at: when the money was confirmed (revenue is reported by it, not by created_at).
 * - One open order per hold (the second POST returns the first), backed here, not only in code.
 * - order_reference numbers come from one sequence: LP-<year>-<6 digits>, never reused.
 * - One completed payment per order, and a provider's transaction id once per order and type: a
 *   refund webhook finds the refund it confirms by that id instead of counting it again.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
ALTER TABLE payment_order
  ADD COLUMN unit_price DECIMAL(10,2) CHECK (unit_price >= 0),
  ADD COLUMN seats INT CHECK (seats >= 1),
  ADD COLUMN platform_fee DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (platform_fee >= 0),
  ADD COLUMN host_share DECIMAL(10,2) CHECK (host_share >= 0),
  ADD COLUMN fee_percent NUMERIC(5,2) CHECK (fee_percent BETWEEN 0 AND 100),
  ADD COLUMN fee_fixed DECIMAL(10,2) CHECK (fee_fixed >= 0),
  ADD COLUMN paid_at TIMESTAMPTZ,
  ADD CONSTRAINT payment_order_amount_is_price_times_seats CHECK (unit_price IS NULL OR seats IS NULL OR amount = unit_price * seats),
  ADD CONSTRAINT payment_order_fee_plus_share_is_amount CHECK (host_share IS NULL OR host_share + platform_fee = amount);
CREATE UNIQUE INDEX payment_order_one_open_per_reservation ON payment_order (reservation_id)
  WHERE status IN ('created','pending') AND reservation_id IS NOT NULL;
CREATE INDEX payment_order_user_id ON payment_order (user_id, id);
CREATE INDEX payment_order_paid_at ON payment_order (paid_at) WHERE paid_at IS NOT NULL;
CREATE SEQUENCE payment_order_reference_seq;

CREATE UNIQUE INDEX payment_transaction_one_payment ON payment_transaction (payment_order_id)
  WHERE transaction_type = 'payment' AND status = 'completed';
CREATE UNIQUE INDEX payment_transaction_provider_id ON payment_transaction (payment_order_id, transaction_type, provider_transaction_id)
  WHERE provider_transaction_id IS NOT NULL;
CREATE INDEX payment_transaction_pending_refunds ON payment_transaction (created_at)
  WHERE transaction_type = 'refund' AND status = 'pending';
`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP INDEX IF EXISTS payment_transaction_pending_refunds;
DROP INDEX IF EXISTS payment_transaction_provider_id;
DROP INDEX IF EXISTS payment_transaction_one_payment;
DROP SEQUENCE IF EXISTS payment_order_reference_seq;
DROP INDEX IF EXISTS payment_order_paid_at;
DROP INDEX IF EXISTS payment_order_user_id;
DROP INDEX IF EXISTS payment_order_one_open_per_reservation;
ALTER TABLE payment_order
  DROP CONSTRAINT IF EXISTS payment_order_fee_plus_share_is_amount,
  DROP CONSTRAINT IF EXISTS payment_order_amount_is_price_times_seats,
  DROP COLUMN IF EXISTS paid_at, DROP COLUMN IF EXISTS fee_fixed, DROP COLUMN IF EXISTS fee_percent,
  DROP COLUMN IF EXISTS host_share, DROP COLUMN IF EXISTS platform_fee, DROP COLUMN IF EXISTS seats,
  DROP COLUMN IF EXISTS unit_price;
`);
}
