import { QueryTypes } from 'sequelize';
import { sequelize } from '../../../db/connection.js';
import { clock, MINUTE } from '../../../lib/clock.js';
import { CHAINED_COLUMNS, contentOf, GENESIS, rowHash, subjectDigest, type StoredRow } from '../chain.js';

/** Longer unsealed than this and the sealers (in-process debounce and the 1-minute job) must have died. */
export const MAX_UNSEALED_AGE_MS = 10 * MINUTE;

interface Unsealed {
  /** Committed rows the sealer has not linked yet (normal for a few seconds after a commit). */
  unsealed: number;
  oldest_unsealed_at: string | null;
}

type Walk = { ok: true; checked: number; head: string | null } | { ok: false; checked: number; broken_at: number; reason: string };
export type ChainReport = Walk & Unsealed;

/**
 * Recomputes every link of the sealed chain (keyset batches) and reports the first broken one; an
 * unsealed row older than MAX_UNSEALED_AGE_MS, or hashed without a place in the chain, is broken too.
 * Read-only: `npm run audit:verify`, the panel's "Verify chain".
 */
export async function verifyAuditChain({ batchSize = 1000, now = clock.now() }: { batchSize?: number; now?: Date } = {}): Promise<ChainReport> {
  const walk = await walkSealed(batchSize);
  const [u] = await sequelize().query<{ unsealed: number; oldest: Date | null; stale_id: number | null; hashed_id: number | null }>(
    `SELECT count(*) FILTER (WHERE row_hash IS NULL)::int AS unsealed,
            min(created_at) FILTER (WHERE row_hash IS NULL) AS oldest,
            min(id) FILTER (WHERE row_hash IS NULL AND created_at < :cutoff) AS stale_id,
            min(id) FILTER (WHERE row_hash IS NOT NULL OR prev_hash IS NOT NULL) AS hashed_id
       FROM audit_log WHERE seal_seq IS NULL`,
    { replacements: { cutoff: new Date(now.getTime() - MAX_UNSEALED_AGE_MS) }, type: QueryTypes.SELECT },
  );
  const unsealed: Unsealed = { unsealed: u!.unsealed, oldest_unsealed_at: u!.oldest?.toISOString() ?? null };
  const broken = (broken_at: number, reason: string): ChainReport => ({ ok: false, checked: walk.checked, broken_at, reason, ...unsealed });
  if (!walk.ok) return { ...walk, ...unsealed };
  if (u!.hashed_id !== null) return broken(u!.hashed_id, 'row carries a hash but no seal_seq (written around the sealer)');
  if (u!.stale_id !== null) {
    return broken(u!.stale_id, `row unsealed for more than ${MAX_UNSEALED_AGE_MS / MINUTE} minutes (no sealer ran: check the seal-audit-log job)`);
  }
  return { ...walk, ...unsealed };
}

async function walkSealed(batchSize: number): Promise<Walk> {
  let prev = GENESIS;
  let checked = 0;
  for (let after = 0; ;) {
    const rows = await sequelize().query<StoredRow>(
      `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE seal_seq > :after ORDER BY seal_seq LIMIT :limit`,
      { replacements: { after, limit: batchSize }, type: QueryTypes.SELECT },
    );
    if (rows.length === 0) return { ok: true, checked, head: checked ? prev : null };
    for (const r of rows) {
      const broken = (reason: string): Walk => ({ ok: false, checked, broken_at: r.id, reason });
      if (!r.row_hash || !r.prev_hash) return broken('row is not chained');
      if (r.prev_hash !== prev) return broken('prev_hash does not match the previous row (a row was removed, reordered or inserted)');
      // NULL ids are allowed (their user was deleted); present ids must still be the hashed ones.
      if (r.actor_user_id !== null && r.user_id !== null && subjectDigest(r.actor_user_id, r.user_id) !== r.subject_digest) {
        return broken('actor_user_id/user_id differ from the hashed ones');
      }
      if (rowHash(prev, contentOf(r)) !== r.row_hash) return broken('row content does not match its hash (edited)');
      prev = r.row_hash;
      checked++;
    }
    after = rows[rows.length - 1]!.seal_seq!;
  }
}
