import { describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { auditedCommand, auditIds, chainRows, ctxFor, holdingChainLock, lastAuditId, sealNow, sql } from './support.js';

const HASH = 'f'.repeat(64);

// What the append-only trigger (migration 0510) lets through: the foreign key's SET NULL (chain.test.ts)
// and sealing — an unsealed row getting prev_hash, row_hash and seal_seq at once. Everything else raises.
describe('audit_log is append-only', () => {
  it('refuses UPDATE, DELETE and TRUNCATE of a sealed row, and re-sealing it', async () => {
    const user = await buildUser();
    await auditedCommand(ctxFor(user), 1);
    await auditedCommand(ctxFor(user), 2);
    await sealNow();
    const [first, second] = await chainRows(`id IN (${(await auditIds()).slice(-2).join(',')})`);
    const count = (await auditIds()).length;
    // Cannot change a sealed row.
    await expect(sql(`UPDATE audit_log SET error_message = 'x' WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    // Cannot re-seal: new hashes, a new place in the chain, or back to unsealed.
    await expect(sql(`UPDATE audit_log SET row_hash = '${HASH}' WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`UPDATE audit_log SET seal_seq = seal_seq + 1000 WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`UPDATE audit_log SET prev_hash = NULL, row_hash = NULL, seal_seq = NULL WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`UPDATE audit_log SET prev_hash = '${first!.prev_hash}', row_hash = '${first!.row_hash}' WHERE id = ${second!.id}`))
      .rejects.toThrow(/append-only/);
    // Nulling the actor is only allowed to the foreign key's own ON DELETE SET NULL, not to a statement.
    await expect(sql(`UPDATE audit_log SET actor_user_id = NULL WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    await expect(sql(`DELETE FROM audit_log WHERE id = ${second!.id}`)).rejects.toThrow(/append-only/);
    await expect(sql('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await auditIds()).length).toBe(count);
    expect(await chainRows(`id IN (${first!.id}, ${second!.id})`)).toEqual([first, second]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('lets an unsealed row be sealed only with all three chain columns and no other change', async () => {
    const user = await buildUser();
    await sealNow();
    const [head] = await chainRows('seal_seq = (SELECT max(seal_seq) FROM audit_log)');
    await holdingChainLock(async () => {
      await auditedCommand(ctxFor(user), 1);
      const id = await lastAuditId();
      const seal = `prev_hash = '${head!.row_hash}', row_hash = '${HASH}', seal_seq = ${head!.seal_seq! + 1000}`;
      // Editing an unsealed row is refused just the same.
      await expect(sql(`UPDATE audit_log SET severity = 'critical' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(sql(`DELETE FROM audit_log WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      // Sealing that smuggles in a content change, touches updated_at, or fills only some chain columns.
      await expect(sql(`UPDATE audit_log SET ${seal}, command = 'forged' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(sql(`UPDATE audit_log SET ${seal}, updated_at = now() + interval '1 day' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(sql(`UPDATE audit_log SET row_hash = '${HASH}' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      await expect(sql(`UPDATE audit_log SET prev_hash = '${head!.row_hash}', row_hash = '${HASH}' WHERE id = ${id}`)).rejects.toThrow(/append-only/);
      // A fork (a second row claiming the head's predecessor) is refused by the unique index on prev_hash.
      await expect(sql(`UPDATE audit_log SET prev_hash = '${head!.prev_hash}', row_hash = '${HASH}', seal_seq = ${head!.seal_seq! + 1000} WHERE id = ${id}`))
        .rejects.toMatchObject({ parent: { code: '23505', constraint: 'audit_log_prev_hash' } });
      // A seal_seq already taken is refused by its unique index.
      await expect(sql(`UPDATE audit_log SET prev_hash = '${head!.row_hash}', row_hash = '${HASH}', seal_seq = ${head!.seal_seq} WHERE id = ${id}`))
        .rejects.toMatchObject({ parent: { code: '23505', constraint: 'audit_log_seal_order' } });
      expect(await chainRows(`id = ${id}`)).toEqual([{ id, prev_hash: null, row_hash: null, seal_seq: null }]);
      // The one accepted shape (a real sealer computes the hash; a wrong one is caught by the verifier, not the trigger).
      await sql(`UPDATE audit_log SET ${seal} WHERE id = ${id}`);
      expect(await verifyAuditChain()).toMatchObject({ ok: false, broken_at: id, reason: expect.stringMatching(/does not match its hash/) });
    });
  });
});
