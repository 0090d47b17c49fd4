import { beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { api, bearer } from '../support/app.js';
import { testDb, testDatabaseUrl } from '../support/db.js';
import { connect, disconnect } from '../../src/db/connection.js';
import { buildNotification, buildUser } from '../support/factories.js';
import { systemContext } from '../../src/context.js';
import { withTransaction } from '../../src/db/transaction.js';
import { audit } from '../../src/modules/audit/writer.js';
import { sealAuditChain } from '../../src/modules/audit/commands/index.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { auditedCommand, ctxFor, holdingChainLock, lastAuditId, sealNow } from './support.js';

// 16 connections, not the harness's 40: the PostgreSQL server is shared by parallel test files.
beforeAll(async () => {
  await disconnect();
  connect(testDatabaseUrl(), { poolMax: 16 });
});

async function chainStats(before: number) {
  const [stats] = await testDb().query<{ rows: number; sealed: number; links: number; places: number }>(
    `SELECT count(*)::int AS rows, count(row_hash)::int AS sealed, count(DISTINCT prev_hash)::int AS links,
            count(DISTINCT seal_seq)::int AS places
       FROM audit_log WHERE id > :before`,
    { replacements: { before }, type: QueryTypes.SELECT });
  return stats;
}

describe('audit chain under concurrent writers and sealers', () => {
  it('50 commands racing through HTTP (debounced sealer running meanwhile) leave exactly 50 rows in one valid, unforked chain', async () => {
    const before = await lastAuditId();
    const users = await Promise.all(Array.from({ length: 50 }, () => buildUser()));
    const notes = await Promise.all(users.map((u) => buildNotification({ recipient: u })));
    const agent = await api();
    const responses = await Promise.all(notes.map(async (n, i) =>
      agent.post(`/api/notifications/${n.uuid}/read`).set('Authorization', await bearer(users[i]!))));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    await sealNow();
    expect(await chainStats(before)).toEqual({ rows: 50, sealed: 50, links: 50, places: 50 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('sealers racing each other (and the writers) never fork: every row sealed once, in one chain', async () => {
    const before = await lastAuditId();
    const user = await buildUser();
    // 60 rows already waiting, then 8 small-batch sealers racing 40 more writers.
    await holdingChainLock(() => Promise.all(Array.from({ length: 60 }, (_, i) => auditedCommand(ctxFor(user), i))));
    const [writes, seals] = await Promise.all([
      Promise.all(Array.from({ length: 40 }, (_, i) => auditedCommand(ctxFor(user), 100 + i))),
      Promise.all(Array.from({ length: 8 }, () => sealAuditChain(systemContext('system'), { batchSize: 7 }))),
    ]);
    expect(writes).toHaveLength(40);
    // try-lock: the sealers that lost skipped instead of queueing; at least one ran.
    expect(seals.some((s) => s.ran)).toBe(true);
    expect(seals.filter((s) => !s.ran).every((s) => s.sealed === 0)).toBe(true);
    await sealNow();
    expect(await chainStats(before)).toEqual({ rows: 100, sealed: 100, links: 100, places: 100 });
    expect(await verifyAuditChain({ batchSize: 13 })).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('audited commands no longer wait for each other: the work of 50 overlaps (measured)', async () => {
    const user = await buildUser();
    // audit() first, then 50 ms of the command's own work: under the old inline chain the head
    // lock would have spanned the work, so 50 commands took ≥ 50 × 50 ms one after another.
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => withTransaction(ctxFor(user), async (tx, ctx) => {
      await audit(ctx, { action: 'update', command: 'test.timed', payload: { i } });
      await testDb().query('SELECT pg_sleep(0.05)', { transaction: tx });
    })));
    const elapsed = performance.now() - t0;
    console.log(`[audit-chain] 50 parallel audited commands (50 ms work each, 16 connections): ${elapsed.toFixed(0)} ms`);
    // 16 connections: ≥ 4 waves of 50 ms. Serialized it would be ≥ 2500 ms; a ratio with room for CI load.
    expect(elapsed).toBeLessThan(50 * 50 * 0.5);
    await sealNow();
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });
});
