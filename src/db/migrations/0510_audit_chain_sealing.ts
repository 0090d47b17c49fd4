import { QueryTypes, type QueryInterface } from 'sequelize';
import { subjectDigest } from './frozen/audit-chain.js';

/**
 * The audit chain is linked after commit by a sealer (src/modules/audit/seal.ts) instead of inline
 * under a global lock in every audited transaction.
 * - seal_seq: the row's place in the chain (chain order = seal order, from audit_log_seal_seq).
 *   Rows chained by 0501's writer were chained in id order: they are numbered in id order.
 *   Unique (one row per place); a partial index on id finds the unsealed rows.
 * - subject_digest becomes NOT NULL: the sealer hashes it and cannot set it (the trigger forbids),
 *   so every INSERT must bring it. Rows that lack it (written around the writer) get it now.
 * - The append-only trigger lets exactly two UPDATEs through: (a) the foreign key's own ON DELETE
 *   SET NULL, as in 0501; (b) sealing — an unsealed row (prev_hash, row_hash, seal_seq all NULL) gets
 *   all three, and every other column stays identical. Re-sealing, editing a sealed or unsealed
 *   row, DELETE and TRUNCATE still raise. The unique index on prev_hash (0501) still refuses forks.
 */
const FK_SET_NULL = `
    IF pg_trigger_depth() > 1
       AND (to_jsonb(NEW) - 'actor_user_id' - 'user_id' - 'updated_at') = (to_jsonb(OLD) - 'actor_user_id' - 'user_id' - 'updated_at')
       AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id = OLD.actor_user_id)
       AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id) THEN
      RETURN NEW;
    END IF;`;

const SEALING = `
    IF OLD.row_hash IS NULL AND OLD.prev_hash IS NULL AND OLD.seal_seq IS NULL
       AND NEW.row_hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.seal_seq IS NOT NULL
       AND (to_jsonb(NEW) - 'prev_hash' - 'row_hash' - 'seal_seq') = (to_jsonb(OLD) - 'prev_hash' - 'row_hash' - 'seal_seq') THEN
      RETURN NEW;
    END IF;`;

const appendOnly = (allowedUpdates: string) => `
CREATE OR REPLACE FUNCTION loopin_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN${allowedUpdates}
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$;`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  const db = context.sequelize;
  await db.transaction(async (transaction) => {
    const run = (sql: string) => db.query(sql, { transaction });
    await run(`CREATE SEQUENCE audit_log_seal_seq;
      ALTER TABLE audit_log ADD COLUMN seal_seq BIGINT;
      ALTER SEQUENCE audit_log_seal_seq OWNED BY audit_log.seal_seq;
      ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
    await run(`UPDATE audit_log a SET seal_seq = o.n
        FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_log WHERE row_hash IS NOT NULL) o
       WHERE a.id = o.id`);
    await run(`SELECT setval('audit_log_seal_seq', COALESCE(max(seal_seq), 1), max(seal_seq) IS NOT NULL) FROM audit_log`);
    const missing = await db.query<{ id: number; actor_user_id: number | null; user_id: number | null }>(
      'SELECT id, actor_user_id, user_id FROM audit_log WHERE subject_digest IS NULL', { type: QueryTypes.SELECT, transaction });
    for (const r of missing) {
      await db.query('UPDATE audit_log SET subject_digest = :digest WHERE id = :id', {
        replacements: { digest: subjectDigest(r.actor_user_id, r.user_id), id: r.id }, transaction });
    }
    await run(`ALTER TABLE audit_log ALTER COLUMN subject_digest SET NOT NULL;
      CREATE UNIQUE INDEX audit_log_seal_order ON audit_log (seal_seq);
      CREATE INDEX audit_log_unsealed ON audit_log (id) WHERE row_hash IS NULL;
      ${appendOnly(FK_SET_NULL + SEALING)}
      ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
  });
}

/** Back to 0501's trigger (no sealing UPDATE). Rows sealed out of id order will then read as broken to 0501's id-order verifier. */
export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`${appendOnly(FK_SET_NULL)}
    DROP INDEX IF EXISTS audit_log_unsealed;
    DROP INDEX IF EXISTS audit_log_seal_order;
    ALTER TABLE audit_log ALTER COLUMN subject_digest DROP NOT NULL;
    ALTER TABLE audit_log DROP COLUMN IF EXISTS seal_seq;
    DROP SEQUENCE IF EXISTS audit_log_seal_seq;`);
}
