import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { withTransaction } from '../../src/db/transaction.js';
import { audit, auditFailure } from '../../src/modules/audit/writer.js';
import { verifyAuditChain } from '../../src/modules/audit/verify.js';
import { GENESIS } from '../../src/modules/audit/chain.js';
import { auditedCommand, auditIds, ctxFor, lastAuditId, sql } from './support.js';

// The tests of this file share one database and leave the chain valid (tampering lives in tamper.test.ts).
describe('audit chain', () => {
  it('chains every row to the previous one and verifies', async () => {
    const before = await lastAuditId();
    const user = await buildUser();
    for (let i = 0; i < 5; i++) await auditedCommand(ctxFor(user), i, { unicode: 'ünïcødé ✓', big: 1e21, neg: -0 });
    await auditFailure(ctxFor(), { action: 'login', command: 'auth.verify_otp', errorMessage: 'wrong code', userId: user.id });
    const rows = await testDb().query<{ id: number; prev_hash: string; row_hash: string; is_successful: boolean; ip: string; severity: string }>(
      'SELECT id, prev_hash, row_hash, is_successful, severity, host(ip_address) AS ip FROM audit_log ORDER BY id', { type: QueryTypes.SELECT });
    expect(rows[0]!.prev_hash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.row_hash);
    expect(rows.filter((r) => r.id > before)).toHaveLength(6);
    expect(rows.at(-1)).toMatchObject({ is_successful: false, severity: 'medium', ip: '::ffff:10.0.0.7' });
    expect(await verifyAuditChain({ batchSize: 4 })).toEqual({ ok: true, checked: rows.length, head: rows.at(-1)!.row_hash });
  });

  it('keeps the auditFailure row although the command rolls back, and the chain stays valid', async () => {
    const before = await lastAuditId();
    const user = await buildUser();
    await expect(withTransaction(ctxFor(user), async (_tx, ctx) => {
      await audit(ctx, { action: 'update', command: 'test.rolled_back' });
      await auditFailure(ctx, { action: 'update', command: 'test.refused', errorMessage: 'nope' });
      throw new Error('command failed');
    })).rejects.toThrow('command failed');
    const rows = await testDb().query<{ command: string; error_message: string }>(
      'SELECT command, error_message FROM audit_log WHERE id > :before ORDER BY id', { replacements: { before }, type: QueryTypes.SELECT });
    expect(rows).toEqual([{ command: 'test.refused', error_message: 'nope' }]);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it('refuses auditFailure after audit() in a plain transaction (it would wait on its own chain lock)', async () => {
    const user = await buildUser();
    await expect(testDb().transaction(async (transaction) => {
      await audit({ ...ctxFor(user), transaction }, { action: 'update', command: 'test.eager' });
      await auditFailure({ ...ctxFor(user), transaction }, { action: 'update', command: 'test.refused' });
    })).rejects.toThrow(/would deadlock/);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it('refuses UPDATE, DELETE and TRUNCATE on audit_log', async () => {
    const user = await buildUser();
    await auditedCommand(ctxFor(user), 1);
    const id = await lastAuditId();
    const count = (await auditIds()).length;
    await expect(sql(`UPDATE audit_log SET error_message = 'x' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
    // Nulling the actor is only allowed to the foreign key's own ON DELETE SET NULL, not to a statement.
    await expect(sql(`UPDATE audit_log SET actor_user_id = NULL WHERE id = ${id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_log WHERE id = ${id}`)).rejects.toThrow(/append-only/);
    await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await auditIds()).length).toBe(count);
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it('still verifies after a mentioned user is deleted (the foreign key sets the ids to NULL)', async () => {
    const leaver = await buildUser({ profile: false });
    await auditedCommand(ctxFor(leaver), 1);
    const id = await lastAuditId();
    await sql(`DELETE FROM auth_user WHERE id = ${leaver.id}`);
    const [row] = await testDb().query<{ actor_user_id: number | null; user_id: number | null }>(
      `SELECT actor_user_id, user_id FROM audit_log WHERE id = ${id}`, { type: QueryTypes.SELECT });
    expect(row).toEqual({ actor_user_id: null, user_id: null });
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
