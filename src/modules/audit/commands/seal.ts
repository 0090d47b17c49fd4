import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { CHAIN_LOCK, CHAINED_COLUMNS, contentOf, GENESIS, rowHash, type StoredRow } from '../chain.js';

/**
 * Sealing: linking committed AUDIT_LOG rows into the tamper-evident hash chain, one sealer at a
 * time, after commit (why, and what the chain proves: docs/decisions/0422-audit-chain-sealed-after-commit.md).
 */

export interface SealResult {
  /** false: another sealer held the chain head; nothing was done. */
  ran: boolean;
  sealed: number;
  batches: number;
  /** true: no committed unsealed row was left when this sealer stopped. */
  done: boolean;
  head: string | null;
}

export interface SealOptions {
  batchSize?: number;
  /** Stop starting new batches after this many milliseconds (wall time, not ctx.now(): tests freeze that clock). */
  budgetMs?: number;
}

/**
 * Seals committed unsealed rows until none is left or the time budget is spent; each batch is its
 * own short transaction under the chain lock, so progress commits. Not audited (see 0422).
 */
export async function sealAuditChain(ctx: Context, { batchSize = 500, budgetMs = 5_000 }: SealOptions = {}): Promise<SealResult> {
  if (ctx.transaction) throw new Error('sealAuditChain() runs its own transactions: call it outside a command');
  const started = performance.now();
  const result: SealResult = { ran: false, sealed: 0, batches: 0, done: false, head: null };
  for (;;) {
    const batch = await withTransaction(ctx, (tx) => sealBatch(tx, batchSize));
    if (!batch) return result;
    result.ran = true;
    result.head = batch.head;
    if (batch.sealed > 0) {
      result.sealed += batch.sealed;
      result.batches++;
    }
    if (batch.sealed < batchSize) return { ...result, done: true };
    if (performance.now() - started >= budgetMs) return result;
  }
}

/** One batch under the chain lock; null when another sealer holds it. */
async function sealBatch(tx: Transaction, batchSize: number): Promise<{ sealed: number; head: string | null } | null> {
  const db = sequelize();
  const [lock] = await db.query<{ locked: boolean }>('SELECT pg_try_advisory_xact_lock(:ns, :key) AS locked', {
    replacements: CHAIN_LOCK, transaction: tx, type: QueryTypes.SELECT,
  });
  if (!lock?.locked) return null;
  // READ COMMITTED: these statements run after the lock was granted, so they see the previous
  // sealer's committed batch (its head) and every row committed by now.
  const [last] = await db.query<{ row_hash: string }>(
    'SELECT row_hash FROM audit_log WHERE seal_seq IS NOT NULL ORDER BY seal_seq DESC LIMIT 1',
    { transaction: tx, type: QueryTypes.SELECT },
  );
  const rows = await db.query<StoredRow>(
    `SELECT ${CHAINED_COLUMNS} FROM audit_log WHERE row_hash IS NULL ORDER BY id LIMIT :limit`,
    { replacements: { limit: batchSize }, transaction: tx, type: QueryTypes.SELECT },
  );
  let head = last?.row_hash ?? null;
  if (rows.length === 0) return { sealed: 0, head };

  const seqs = await db.query<{ seq: number }>(
    "SELECT nextval('audit_log_seal_seq') AS seq FROM generate_series(1, :n) ORDER BY 1",
    { replacements: { n: rows.length }, transaction: tx, type: QueryTypes.SELECT },
  );
  const prevs: string[] = [];
  const hashes: string[] = [];
  for (const r of rows) {
    const prev = head ?? GENESIS;
    head = rowHash(prev, contentOf(r));
    prevs.push(prev);
    hashes.push(head);
  }
  const updated = await db.query<{ id: number }>(
    `UPDATE audit_log a SET prev_hash = u.prev_hash, row_hash = u.row_hash, seal_seq = u.seal_seq
       FROM unnest($1::bigint[], $2::text[], $3::text[], $4::bigint[]) AS u(id, prev_hash, row_hash, seal_seq)
      WHERE a.id = u.id AND a.row_hash IS NULL
     RETURNING a.id`,
    { bind: [rows.map((r) => r.id), prevs, hashes, seqs.map((s) => s.seq)], transaction: tx, type: QueryTypes.SELECT },
  );
  // Under the lock nobody else seals; a shortfall means the table changed under us — seal nothing.
  if (updated.length !== rows.length) throw new Error(`audit sealing: ${updated.length} of ${rows.length} rows updated`);
  return { sealed: rows.length, head };
}
