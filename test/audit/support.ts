import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { testDatabaseUrl, testDb } from '../support/db.js';
import { createContext, systemContext, type Context } from '../../src/context.js';
import { withTransaction } from '../../src/db/transaction.js';
import { CHAIN_LOCK } from '../../src/modules/audit/chain.js';
import { sealAuditChain } from '../../src/modules/audit/commands/index.js';
import { audit } from '../../src/modules/audit/writer.js';

export const ctxFor = (user?: { id: number; uuid: string }): Context =>
  createContext({ source: 'api', actor: user ? { id: user.id, uuid: user.uuid, is_staff: false, is_superuser: false } : null, ip: '::ffff:10.0.0.7', userAgent: 'vitest' });

/** A command-shaped write: its audit row in one withTransaction (values exercise canonical JSON). */
export async function auditedCommand(ctx: Context, n: number, extra: Record<string, unknown> = {}): Promise<void> {
  await withTransaction(ctx, async (_tx, ctx) => {
    await audit(ctx, {
      action: 'update', command: 'test.command', object: { type: 'thing', id: n, uuid: crypto.randomUUID() },
      oldValues: { n, at: new Date(0), nested: { b: 1, a: [1, 'x', null] } }, newValues: { n: n + 1, ...extra },
    });
  });
}

export const sql = (q: string) => testDb().query(q);

export async function auditIds(after = 0): Promise<number[]> {
  const rows = await testDb().query<{ id: number }>('SELECT id FROM audit_log WHERE id > :after ORDER BY id', {
    replacements: { after }, type: QueryTypes.SELECT,
  });
  return rows.map((r) => r.id);
}

export const lastAuditId = async (): Promise<number> => (await auditIds()).at(-1) ?? 0;

/** Edits audit_log behind the trigger's back, as a superuser could (the tamper the chain must reveal). */
export async function tamper(statement: string): Promise<void> {
  await sql('ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only');
  try {
    await sql(statement);
  } finally {
    await sql('ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only');
  }
}

/**
 * Seals every row committed so far. The in-process debounced sealer may hold the chain lock at
 * this moment (then sealAuditChain skips): retry until one call ran to the end.
 */
export async function sealNow(): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt++) {
    const result = await sealAuditChain(systemContext('system'), { batchSize: 100 });
    if (result.ran && result.done) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error('could not take the audit chain lock');
}

/**
 * Runs `fn` while another session holds the chain lock, so no sealer (explicit or debounced) can
 * seal in the meantime: rows written inside stay unsealed, deterministically. Its own pg client,
 * outside the Sequelize pool, so `fn` may even disconnect and reconnect the pool.
 */
export async function holdingChainLock<T>(fn: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1, $2)', [CHAIN_LOCK.ns, CHAIN_LOCK.key]);
    return await fn();
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
}

export interface ChainRow { id: number; prev_hash: string | null; row_hash: string | null; seal_seq: number | null }

export async function chainRows(where = 'true'): Promise<ChainRow[]> {
  return testDb().query<ChainRow>(`SELECT id, prev_hash, row_hash, seal_seq FROM audit_log WHERE ${where} ORDER BY id`, { type: QueryTypes.SELECT });
}
