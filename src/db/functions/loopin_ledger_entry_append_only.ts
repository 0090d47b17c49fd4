import { plpgsql } from './define.js';

/**
 * LEDGER_ENTRY is append-only: UPDATE, DELETE and TRUNCATE raise, with no exception at all (its
 * foreign keys are RESTRICT, so nothing cascades into it). A wrong entry is corrected by another
 * entry (an adjustment, a payout reversal). Why: docs/decisions/0800-host-money-ledger.md.
 */
export default plpgsql({
  name: 'loopin_ledger_entry_append_only',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  RAISE EXCEPTION 'ledger_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
`,
});
