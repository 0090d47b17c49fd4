import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { withTransaction } from '../../db/transaction.js';
import { CHAIN_LOCK, CHAINED_COLUMNS, contentOf, GENESIS, rowHash, type StoredRow } from './chain.js';

/**
 * Sealing: linking committed AUDIT_LOG rows into the tamper-evident hash chain.
 *
 * Why a sealer instead of hashing in audit(): a chain has one head, and appending to it must be
 * serialized. When every audit() appended inline, the head lock was held from the append until
 * COMMIT, so every audited transaction in the whole system committed one at a time (3 round trips
 * per audit row inside the lock) — the ceiling of every write path (issue 7's joining bench).
 * Now audit() is a plain INSERT that commits with the change, and one sealer at a time (advisory
 * lock, try-only: a second sealer skips) links the rows afterwards, in batches:
 * - chain order is seal order, numbered by `seal_seq` (from its own sequence). Rows are taken in id
 *   order among the COMMITTED unsealed ones; a lower id that commits late is simply sealed in a
 *   later batch, after higher ids — ids are drawn at INSERT, not at COMMIT, so id order cannot be
 *   chain order without the global lock this removes.
 * - one batch = read the head (highest seal_seq), read up to `batchSize` unsealed rows, hash them
 *   in order, write them with ONE set-based UPDATE … FROM unnest(...). The append-only trigger
 *   (migration 0510) lets an UPDATE through only when it fills prev_hash/row_hash/seal_seq of an
 *   unsealed row and changes nothing else; the unique index on prev_hash refuses any fork.
 * - the window between COMMIT and seal is bounded: the writing process seals ~250 ms after the
 *   commit (seal-scheduler.ts), and the `seal-audit-log` job (every minute) picks up rows whose
 *   process died first. audit:verify fails when a row stays unsealed for more than 10 minutes.
 *
 * What the chain proves: once a row is sealed, editing, removing or reordering it breaks
 * verification. Before its seal (normally well under a second; at most about a minute if its process
 * died), an unsealed row is already protected against UPDATE/DELETE by the trigger, but the hash does
 * not cover it yet; and a row INSERTed around audit() gets sealed like any other — as, before, it
 * could have been chained by anyone running the same code. The hash is unkeyed (SHA-256 over public
 * content), so under either design someone with write access to the database who can bypass the
 * trigger can rewrite rows and recompute a consistent chain. The chain reveals partial or careless
 * tampering; against a database superuser the head would have to be anchored outside the database
 * (or the hash keyed with a secret the database role cannot read).
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
 * Seals committed unsealed rows, batch after batch, until none is left or the time budget is
 * spent. Each batch is its own short transaction holding the chain lock, so progress commits and
 * verifiers see it; if another sealer takes the lock between two batches, this one stops (`ran`
 * stays true for the batches it did). Not audited itself: sealing writes only chain columns, and
 * an audit row per seal would need sealing in turn.
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
