import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { createContext, type Context } from '../../src/context.js';
import { withTransaction } from '../../src/db/transaction.js';
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
