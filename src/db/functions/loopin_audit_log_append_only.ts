import { plpgsql } from './define.js';

/**
 * AUDIT_LOG is append-only: UPDATE, DELETE and TRUNCATE raise, except the foreign key's own
 * ON DELETE SET NULL (fired by the RI trigger, ids only) and sealing an unsealed row (chain
 * columns only). Why: docs/decisions/0003-audit-chain-sealed-after-commit.md.
 */
export default plpgsql({
  name: 'loopin_audit_log_append_only',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  IF TG_OP = 'UPDATE' THEN
    IF pg_trigger_depth() > 1
       AND (to_jsonb(NEW) - 'actor_user_id' - 'user_id' - 'updated_at') = (to_jsonb(OLD) - 'actor_user_id' - 'user_id' - 'updated_at')
       AND (NEW.actor_user_id IS NULL OR NEW.actor_user_id = OLD.actor_user_id)
       AND (NEW.user_id IS NULL OR NEW.user_id = OLD.user_id) THEN
      RETURN NEW;
    END IF;
    IF OLD.row_hash IS NULL AND OLD.prev_hash IS NULL AND OLD.seal_seq IS NULL
       AND NEW.row_hash IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.seal_seq IS NOT NULL
       AND (to_jsonb(NEW) - 'prev_hash' - 'row_hash' - 'seal_seq') = (to_jsonb(OLD) - 'prev_hash' - 'row_hash' - 'seal_seq') THEN
      RETURN NEW;
    END IF;
  END IF;
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
`,
});
