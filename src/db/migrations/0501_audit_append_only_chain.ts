import { QueryTypes, type QueryInterface, type Transaction } from 'sequelize';
import { GENESIS, rowHash, subjectDigest, type ChainedContent } from './frozen/audit-chain.js';

/**
 * AUDIT_LOG becomes append-only and tamper-evident.
 * - subject_digest (not in the ERD): hash of (actor_user_id, user_id). The row hash covers it
 *   instead of the raw ids, so a user's deletion (ON DELETE SET NULL) leaves the chain valid.
 * - Rows written before this migration are chained now, in id order, before the trigger lands.
 * - A unique index on prev_hash: two rows can never claim the same predecessor (no forks).
 * - A trigger refuses UPDATE, DELETE and TRUNCATE. The one UPDATE let through is the foreign key's
 *   own SET NULL (pg_trigger_depth() > 1: fired by the RI trigger) that changes nothing but the ids.
 */
const TRIGGER = `
CREATE FUNCTION loopin_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1
     AND (to_jsonb(NEW) - 'actor_user_id' - 'user_id' - 'updated_at') = (to_jsonb(OLD) - 'actor_user_id' - 'user_id' - 'updated_at')
     AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id = OLD.actor_user_id)
     AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION loopin_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION loopin_audit_log_append_only();
`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  const db = context.sequelize;
  await db.transaction(async (transaction) => {
    await db.query('ALTER TABLE audit_log ADD COLUMN subject_digest TEXT', { transaction });
    await chainExistingRows(context, transaction);
    await db.query('CREATE UNIQUE INDEX audit_log_prev_hash ON audit_log (prev_hash)', { transaction });
    await db.query(TRIGGER, { transaction });
  });
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log;
    DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log;
    DROP FUNCTION IF EXISTS loopin_audit_log_append_only();
    DROP INDEX IF EXISTS audit_log_prev_hash;
    ALTER TABLE audit_log DROP COLUMN IF EXISTS subject_digest;`);
}

type Existing = Omit<ChainedContent, 'subject_digest'> & { actor_user_id: number | null; user_id: number | null };

async function chainExistingRows(context: QueryInterface, transaction: Transaction) {
  const db = context.sequelize;
  let prev = GENESIS;
  for (let after = 0; ;) {
    const rows = await db.query<Existing>(
      `SELECT id, actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata, old_values,
              new_values, host(ip_address) AS ip_address, user_agent, session_key, severity, is_successful, error_message, created_at
         FROM audit_log WHERE id > :after ORDER BY id LIMIT 1000`,
      { replacements: { after }, type: QueryTypes.SELECT, transaction },
    );
    if (rows.length === 0) return;
    for (const { actor_user_id, user_id, ...rest } of rows) {
      const content = { ...rest, subject_digest: subjectDigest(actor_user_id, user_id) };
      const hash = rowHash(prev, content);
      await db.query('UPDATE audit_log SET subject_digest = :digest, prev_hash = :prev, row_hash = :hash WHERE id = :id', {
        replacements: { digest: content.subject_digest, prev, hash, id: rest.id }, transaction,
      });
      prev = hash;
    }
    after = rows[rows.length - 1]!.id;
  }
}
