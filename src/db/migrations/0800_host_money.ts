import type { QueryInterface } from 'sequelize';

/**
 * Host money (issue 17, docs/decisions/0800-host-money-ledger.md):
 * - ledger_entry: append-only, signed DECIMAL(10,2) amounts per host and currency; the sign is fixed
 *   by the kind. One natural key per money event (`entry_key`) so a redelivered webhook or a retried
 *   command can never book the same sale, fee, refund or payout twice.
 * - payout: one open payout per host and currency (partial unique index).
 * - payout_account: the account number only as AES-256-GCM ciphertext + nonce + tag + key id.
 * - staff_reauth: short-lived proofs that a staff member re-entered their password in this session.
 */
const SQL = `
CREATE TABLE payout (
  id BIGSERIAL PRIMARY KEY,
  uuid UUID NOT NULL UNIQUE,
  host_id BIGINT NOT NULL REFERENCES auth_user (id) ON DELETE RESTRICT,
  amount DECIMAL(10,2) NOT NULL CHECK (amount > 0),
  currency VARCHAR(3) NOT NULL,
  status VARCHAR(12) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'processing', 'completed', 'failed')),
  reference VARCHAR(255),
  failure_reason TEXT,
  created_by_id BIGINT REFERENCES auth_user (id) ON DELETE SET NULL,
  approved_by_id BIGINT REFERENCES auth_user (id) ON DELETE SET NULL,
  approved_at TIMESTAMPTZ,
  processing_at TIMESTAMPTZ,
  completed_by_id BIGINT REFERENCES auth_user (id) ON DELETE SET NULL,
  completed_at TIMESTAMPTZ,
  failed_at TIMESTAMPTZ,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  CHECK ((status = 'completed') = (completed_at IS NOT NULL))
);
CREATE UNIQUE INDEX payout_one_open_per_host_currency ON payout (host_id, currency)
  WHERE status IN ('pending', 'approved', 'processing');
CREATE INDEX payout_host_id ON payout (host_id, id);
CREATE INDEX payout_status ON payout (status);

CREATE TABLE ledger_entry (
  id BIGSERIAL PRIMARY KEY,
  uuid UUID NOT NULL UNIQUE,
  host_id BIGINT NOT NULL REFERENCES auth_user (id) ON DELETE RESTRICT,
  kind VARCHAR(12) NOT NULL CHECK (kind IN ('sale', 'fee', 'refund', 'chargeback', 'payout', 'adjustment')),
  amount DECIMAL(10,2) NOT NULL CHECK (amount <> 0),
  currency VARCHAR(3) NOT NULL,
  event_id BIGINT REFERENCES event (id) ON DELETE RESTRICT,
  payment_order_id BIGINT REFERENCES payment_order (id) ON DELETE RESTRICT,
  payment_transaction_id BIGINT REFERENCES payment_transaction (id) ON DELETE RESTRICT,
  payout_id BIGINT REFERENCES payout (id) ON DELETE RESTRICT,
  reverses_id BIGINT REFERENCES ledger_entry (id) ON DELETE RESTRICT,
  entry_key VARCHAR(100) NOT NULL UNIQUE,
  reason TEXT,
  created_by_id BIGINT REFERENCES auth_user (id) ON DELETE RESTRICT,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  CHECK (CASE kind
    WHEN 'sale' THEN amount > 0
    WHEN 'fee' THEN amount < 0
    WHEN 'refund' THEN amount < 0
    WHEN 'chargeback' THEN amount < 0
    WHEN 'payout' THEN payout_id IS NOT NULL
    WHEN 'adjustment' THEN reason IS NOT NULL AND length(trim(reason)) > 0 AND created_by_id IS NOT NULL
  END)
);
CREATE INDEX ledger_entry_host_id ON ledger_entry (host_id, id);
CREATE INDEX ledger_entry_kind ON ledger_entry (kind);
CREATE INDEX ledger_entry_event_id ON ledger_entry (event_id) WHERE event_id IS NOT NULL;
CREATE INDEX ledger_entry_payment_order_id ON ledger_entry (payment_order_id) WHERE payment_order_id IS NOT NULL;
CREATE INDEX ledger_entry_payout_id ON ledger_entry (payout_id) WHERE payout_id IS NOT NULL;

CREATE FUNCTION loopin_ledger_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER ledger_entry_append_only BEFORE UPDATE OR DELETE ON ledger_entry
  FOR EACH ROW EXECUTE FUNCTION loopin_ledger_entry_append_only();
CREATE TRIGGER ledger_entry_no_truncate BEFORE TRUNCATE ON ledger_entry
  FOR EACH STATEMENT EXECUTE FUNCTION loopin_ledger_entry_append_only();

CREATE TABLE payout_account (
  id BIGSERIAL PRIMARY KEY,
  uuid UUID NOT NULL UNIQUE,
  user_id BIGINT NOT NULL UNIQUE REFERENCES auth_user (id) ON DELETE CASCADE,
  account_holder VARCHAR(100) NOT NULL,
  account_number_ciphertext BYTEA NOT NULL,
  account_number_nonce BYTEA NOT NULL CHECK (octet_length(account_number_nonce) = 12),
  account_number_tag BYTEA NOT NULL CHECK (octet_length(account_number_tag) = 16),
  account_number_last4 VARCHAR(4) NOT NULL,
  key_id VARCHAR(16) NOT NULL,
  ifsc VARCHAR(11) NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX payout_account_key_id ON payout_account (key_id);

CREATE TABLE staff_reauth (
  id BIGSERIAL PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES auth_user (id) ON DELETE CASCADE,
  session_key VARCHAR(64) NOT NULL,
  verified_at TIMESTAMPTZ NOT NULL,
  expires_at TIMESTAMPTZ NOT NULL,
  created_at TIMESTAMPTZ NOT NULL,
  updated_at TIMESTAMPTZ NOT NULL,
  CHECK (expires_at > verified_at)
);
CREATE INDEX staff_reauth_lookup ON staff_reauth (user_id, session_key, expires_at);

CREATE TRIGGER payout_touch_updated_at BEFORE UPDATE ON payout FOR EACH ROW EXECUTE FUNCTION loopin_touch_updated_at();
CREATE TRIGGER payout_account_touch_updated_at BEFORE UPDATE ON payout_account FOR EACH ROW EXECUTE FUNCTION loopin_touch_updated_at();
`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.transaction(async (transaction) => {
    await context.sequelize.query(SQL, { transaction });
  });
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    DROP TABLE IF EXISTS staff_reauth;
    DROP TABLE IF EXISTS payout_account;
    DROP TABLE IF EXISTS ledger_entry;
    DROP FUNCTION IF EXISTS loopin_ledger_entry_append_only();
    DROP TABLE IF EXISTS payout;`);
}
