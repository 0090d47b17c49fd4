import { QueryTypes } from 'sequelize';
import { sequelize } from '../../db/connection.js';
import { GENESIS, rowHash, subjectDigest, type ChainedContent } from './chain.js';

export type ChainReport =
  | { ok: true; checked: number; head: string | null }
  | { ok: false; checked: number; broken_at: number; reason: string };

type Stored = Omit<ChainedContent, 'subject_digest'> & {
  actor_user_id: number | null; user_id: number | null; subject_digest: string | null;
  prev_hash: string | null; row_hash: string | null;
};

/**
 * Walks AUDIT_LOG in id order (batches of `batchSize`, keyset on id, so memory stays flat) and
 * recomputes every link. Reports the first row whose prev_hash does not name the previous row's
 * hash (a row removed or inserted) or whose content no longer matches its own hash (a row edited).
 * Read-only: powers `npm run audit:verify` and the admin "Verify chain" action.
 */
export async function verifyAuditChain({ batchSize = 1000 }: { batchSize?: number } = {}): Promise<ChainReport> {
  let prev = GENESIS;
  let checked = 0;
  for (let after = 0; ;) {
    const rows = await sequelize().query<Stored>(
      `SELECT id, actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata, old_values,
              new_values, host(ip_address) AS ip_address, user_agent, session_key, severity, is_successful, error_message,
              created_at, subject_digest, prev_hash, row_hash
         FROM audit_log WHERE id > :after ORDER BY id LIMIT :limit`,
      { replacements: { after, limit: batchSize }, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return { ok: true, checked, head: checked ? prev : null };
    for (const r of rows) {
      const broken = (reason: string): ChainReport => ({ ok: false, checked, broken_at: r.id, reason });
      const { actor_user_id, user_id, prev_hash, row_hash, ...content } = r;
      if (!content.subject_digest || !row_hash || !prev_hash) return broken('row is not chained');
      if (prev_hash !== prev) return broken('prev_hash does not match the previous row (a row was removed, reordered or inserted)');
      // NULL ids are allowed (their user was deleted); present ids must still be the hashed ones.
      if (actor_user_id !== null && user_id !== null && subjectDigest(actor_user_id, user_id) !== content.subject_digest) {
        return broken('actor_user_id/user_id differ from the hashed ones');
      }
      if (rowHash(prev, content as ChainedContent) !== row_hash) return broken('row content does not match its hash (edited)');
      prev = row_hash;
      checked++;
    }
    after = rows[rows.length - 1]!.id;
  }
}
