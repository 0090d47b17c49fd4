import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { withTransaction } from '../../src/db/transaction.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { audit, auditFailure } from '../../src/modules/audit/writer.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { GENESIS } from '../../src/modules/audit/chain.js';
import { auditedCommand, chainRows, ctxFor, holdingChainLock, lastAuditId, sealNow, sql } from './support.js';

// The tests of this file share one database and leave the chain valid (tampering lives in tamper.test.ts).
describe('audit chain', () => {
  it('writes rows unsealed, then the sealer chains every row to the previous one in seal order', async () => {
    const before = await lastAuditId();
    const user = await buildUser();
    await holdingChainLock(async () => {
      for (let i = 0; i < 5; i++) await auditedCommand(ctxFor(user), i, { unicode: 'ünïcødé ✓', big: 1e21, neg: -0 });
      await auditFailure(ctxFor(), { action: 'login', command: 'auth.verify_otp', errorMessage: 'wrong code', userId: user.id });
      // Committed, not hashed: audit() no longer touches the chain.
      expect((await chainRows(`id > ${before}`)).map((r) => r.row_hash ?? r.prev_hash ?? r.seal_seq)).toEqual(Array(6).fill(null));
      expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 6 });
    });
    await sealNow();
    const rows = await testDb().query<{ id: number; prev_hash: string; row_hash: string; seal_seq: number; is_successful: boolean; ip: string; severity: string }>(
      'SELECT id, prev_hash, row_hash, seal_seq, is_successful, severity, host(ip_address) AS ip FROM audit_log ORDER BY seal_seq', { type: QueryTypes.SELECT });
    expect(rows[0]!.prev_hash).toBe(GENESIS);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.prev_hash).toBe(rows[i - 1]!.row_hash);
    expect(rows.filter((r) => r.id > before)).toHaveLength(6);
    expect(rows.at(-1)).toMatchObject({ is_successful: false, severity: 'medium', ip: '::ffff:10.0.0.7' });
    expect(await verifyAuditChain({ batchSize: 4 })).toEqual({
      ok: true, checked: rows.length, head: rows.at(-1)!.row_hash, unsealed: 0, oldest_unsealed_at: null,
    });
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
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('auditFailure after audit() in a plain transaction no longer waits for a chain lock', async () => {
    const before = await lastAuditId();
    const user = await buildUser();
    await testDb().transaction(async (transaction) => {
      await audit({ ...ctxFor(user), transaction }, { action: 'update', command: 'test.eager' });
      await auditFailure({ ...ctxFor(user), transaction }, { action: 'update', command: 'test.refused' });
    });
    const rows = await testDb().query<{ command: string }>(
      'SELECT command FROM audit_log WHERE id > :before ORDER BY id', { replacements: { before }, type: QueryTypes.SELECT });
    expect(rows.map((r) => r.command).sort()).toEqual(['test.eager', 'test.refused']);
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('seals a lower id that commits late after the higher ids, and the chain verifies', async () => {
    const user = await buildUser();
    let releaseLate!: () => void;
    const lateMayCommit = new Promise<void>((r) => (releaseLate = r));
    let lateInserted!: () => void;
    const inserted = new Promise<void>((r) => (lateInserted = r));
    // The late transaction draws its id first, then stays open while a later one commits and is sealed.
    const late = withTransaction(ctxFor(user), async (_tx, ctx) => {
      await audit(ctx, { action: 'update', command: 'test.late' });
      lateInserted();
      await lateMayCommit;
    });
    await inserted;
    await auditedCommand(ctxFor(user), 1);
    await sealNow();
    const [lateRow] = await testDb().query<{ id: number }>("SELECT id FROM audit_log WHERE command = 'test.late'", { type: QueryTypes.SELECT });
    expect(lateRow).toBeUndefined(); // not committed: invisible to the sealer
    releaseLate();
    await late;
    await sealNow();
    const [lateSealed, early] = await Promise.all([
      chainRows("command = 'test.late'").then((r) => r[0]!),
      chainRows("command = 'test.command'").then((r) => r.at(-1)!),
    ]);
    expect(lateSealed.id).toBeLessThan(early.id);
    expect(lateSealed.seal_seq).toBeGreaterThan(early.seal_seq!);
    expect(lateSealed.prev_hash).toBe(early.row_hash);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('reports unsealed rows, and fails when one has waited more than 10 minutes (no sealer ran)', async () => {
    const user = await buildUser();
    await holdingChainLock(async () => {
      clock.set(new Date(Date.now() - 11 * MINUTE));
      await auditedCommand(ctxFor(user), 1);
      const stale = await lastAuditId();
      clock.reset();
      await auditedCommand(ctxFor(user), 2);
      const report = await verifyAuditChain();
      expect(report).toMatchObject({ ok: false, broken_at: stale, unsealed: 2, reason: expect.stringMatching(/unsealed for more than 10 minutes/) });
      // Two minutes earlier the row was nine minutes old: still fine.
      expect(await verifyAuditChain({ now: new Date(Date.now() - 2 * MINUTE) })).toMatchObject({ ok: true, unsealed: 2 });
    });
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('still verifies after a mentioned user is deleted, sealed or not (the foreign key sets the ids to NULL)', async () => {
    const sealedLeaver = await buildUser({ profile: false });
    const unsealedLeaver = await buildUser({ profile: false });
    await auditedCommand(ctxFor(sealedLeaver), 1);
    await sealNow();
    const sealedId = await lastAuditId();
    await holdingChainLock(async () => {
      await auditedCommand(ctxFor(unsealedLeaver), 2);
      await sql(`DELETE FROM auth_user WHERE id IN (${sealedLeaver.id}, ${unsealedLeaver.id})`);
    });
    const rows = await testDb().query<{ actor_user_id: number | null; user_id: number | null }>(
      `SELECT actor_user_id, user_id FROM audit_log WHERE id >= ${sealedId} ORDER BY id`, { type: QueryTypes.SELECT });
    expect(rows).toEqual([{ actor_user_id: null, user_id: null }, { actor_user_id: null, user_id: null }]);
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });
});
