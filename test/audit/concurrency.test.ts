import { beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { api, bearer } from '../support/app.js';
import { testDb, testDatabaseUrl } from '../support/db.js';
import { connect, disconnect } from '../../src/db/connection.js';
import { buildNotification, buildUser } from '../support/factories.js';
import { withTransaction } from '../../src/db/transaction.js';
import { audit } from '../../src/modules/audit/writer.js';
import { verifyAuditChain } from '../../src/modules/audit/verify.js';
import { ctxFor, lastAuditId } from './support.js';

// 16 connections, not the harness's 40: the PostgreSQL server is shared by parallel test files, and
// 16 transactions at once already contend for the chain head as hard as 50 would.
beforeAll(async () => {
  await disconnect();
  connect(testDatabaseUrl(), { poolMax: 16 });
});

describe('audit chain under concurrent writers', () => {
  it('50 commands racing through HTTP leave exactly 50 rows in one valid, unforked chain', async () => {
    const before = await lastAuditId();
    const users = await Promise.all(Array.from({ length: 50 }, () => buildUser()));
    const notes = await Promise.all(users.map((u) => buildNotification({ recipient: u })));
    const agent = await api();
    const responses = await Promise.all(notes.map(async (n, i) =>
      agent.post(`/api/notifications/${n.uuid}/read`).set('Authorization', await bearer(users[i]!))));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(200));
    const [counts] = await testDb().query<{ rows: number; links: number }>(
      'SELECT count(*)::int AS rows, count(DISTINCT prev_hash)::int AS links FROM audit_log WHERE id > :before',
      { replacements: { before }, type: QueryTypes.SELECT });
    expect(counts).toEqual({ rows: 50, links: 50 });
    expect((await verifyAuditChain()).ok).toBe(true);
  });

  it('holds the chain head only for the append and the commit (measured)', async () => {
    const user = await buildUser();
    // 50 parallel commands that each spend 50 ms on their own work before auditing.
    const commands = (n: number) => Promise.all(Array.from({ length: n }, (_, i) => withTransaction(ctxFor(user), async (tx, ctx) => {
      await testDb().query('SELECT pg_sleep(0.05)', { transaction: tx });
      await audit(ctx, { action: 'update', command: 'test.timed', payload: { i } });
    })));
    const t0 = performance.now();
    await commands(50);
    const elapsed = performance.now() - t0;
    const t1 = performance.now();
    await commands(1);
    const single = performance.now() - t1;
    // The same work in plain transactions (no withTransaction commit hook): audit() locks the head at
    // once, so the lock spans the whole command and the 50 commands run one after another.
    const t2 = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => testDb().transaction(async (tx) => {
      await audit({ ...ctxFor(user), transaction: tx }, { action: 'update', command: 'test.timed_eager', payload: { i } });
      await testDb().query('SELECT pg_sleep(0.05)', { transaction: tx });
    })));
    const eager = performance.now() - t2;
    console.log(`[audit-chain] 50 parallel commands (50 ms work each): ${elapsed.toFixed(0)} ms; one alone: ${single.toFixed(0)} ms; lock held for the whole command: ${eager.toFixed(0)} ms`);
    // Holding the head for the whole command serializes the 50 × 50 ms of work; deferring the append
    // to just before COMMIT lets that work overlap (a ratio, not a wall-clock bound: CI load varies).
    expect(eager).toBeGreaterThan(50 * 50);
    expect(elapsed).toBeLessThan(eager * 0.75);
    expect((await verifyAuditChain()).ok).toBe(true);
  });
});
