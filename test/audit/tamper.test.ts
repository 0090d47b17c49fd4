import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { testDatabaseUrl } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { auditedCommand, auditIds, ctxFor, holdingChainLock, lastAuditId, sealNow, tamper } from './support.js';

const run = promisify(execFile);

// One sequential story: each step breaks the chain earlier than the previous one, so the first
// broken link reported is always the one just made.
describe('tamper evidence', () => {
  it('npm run audit:verify prints OK, then the first broken link with a non-zero exit code', async () => {
    const user = await buildUser();
    const other = await buildUser();
    for (let i = 0; i < 8; i++) await auditedCommand(ctxFor(user), i);
    await sealNow();
    const ids = await auditIds();
    const env = { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent' };
    const cli = ['--import', 'tsx', 'src/modules/audit/verify-cli.ts'];
    expect((await run(process.execPath, cli, { env })).stdout).toMatch(/^OK: 8 audit rows, chain head [0-9a-f]{64}; 0 not yet sealed\n$/);

    // A hash written around the sealer (no place in the chain); the sealer leaves such a row alone.
    const forged = await holdingChainLock(async () => {
      await auditedCommand(ctxFor(user), 8);
      const id = await lastAuditId();
      await tamper(`UPDATE audit_log SET prev_hash = 'x', row_hash = 'y' WHERE id = ${id}`);
      return id;
    });
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: false, broken_at: forged, checked: 8, reason: expect.stringMatching(/no seal_seq/) });

    // An edited field.
    await tamper(`UPDATE audit_log SET severity = 'critical' WHERE id = ${ids[6]}`);
    const broken = await run(process.execPath, cli, { env }).then(() => null, (err: { code: number; stdout: string }) => err);
    expect(broken?.code).toBe(1);
    expect(broken?.stdout).toContain(`BROKEN at audit_log id ${ids[6]}`);

    // Edited values, found while streaming in small batches.
    await tamper(`UPDATE audit_log SET new_values = '{"n": 99}' WHERE id = ${ids[4]}`);
    expect(await verifyAuditChain({ batchSize: 2 })).toMatchObject({ ok: false, broken_at: ids[4], checked: 4 });

    // The actor swapped for someone else.
    await tamper(`UPDATE audit_log SET actor_user_id = ${other.id}, user_id = ${other.id} WHERE id = ${ids[2]}`);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, broken_at: ids[2], reason: expect.stringMatching(/actor/) });

    // Two rows swapped in the chain order.
    await tamper(`UPDATE audit_log SET seal_seq = -seal_seq WHERE id IN (${ids[1]}, ${ids[2]})`);
    await tamper(`UPDATE audit_log x SET seal_seq = -y.seal_seq FROM audit_log y
      WHERE x.id IN (${ids[1]}, ${ids[2]}) AND y.id IN (${ids[1]}, ${ids[2]}) AND y.id <> x.id`);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, broken_at: ids[2], reason: expect.stringMatching(/prev_hash/) });

    // A row removed: its successor in the chain (ids[2] since the swap) no longer links up to the genesis.
    await tamper(`DELETE FROM audit_log WHERE id = ${ids[0]}`);
    expect(await verifyAuditChain()).toMatchObject({ ok: false, broken_at: ids[2], checked: 0, reason: expect.stringMatching(/prev_hash/) });
  }, 60_000);
});
