import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { clock, DAY } from '../../src/lib/clock.js';
import { runJob } from '../../src/jobs/runtime.js';
import { auditFailure } from '../../src/modules/audit/writer.js';
import { summarizeAuditLog } from '../../src/modules/audit/commands/index.js';
import { SCHEDULE } from '../../jobs/schedule.js';
import { auditActions } from '../../resources/actions/audit.js';
import { connect, disconnect } from '../../src/db/connection.js';
import { sealAuditChain } from '../../src/modules/audit/commands/index.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { testDatabaseUrl } from '../support/db.js';
import { auditedCommand, chainRows, ctxFor, holdingChainLock, lastAuditId, sealNow, tamper } from './support.js';

async function summary(date: string) {
  return testDb().query<{ user_id: number | null; action: string; count: number; successful_count: number; failed_count: number }>(
    'SELECT user_id, action, count, successful_count, failed_count FROM audit_log_summary WHERE date = :date ORDER BY user_id NULLS FIRST, action',
    { replacements: { date }, type: QueryTypes.SELECT });
}

describe('audit jobs and admin action', () => {
  it('audit-summary upserts one row per day, user and action, idempotently', async () => {
    clock.set('2031-03-10T23:50:00Z');
    const a = await buildUser();
    const b = await buildUser();
    await auditedCommand(ctxFor(a), 1);
    await auditedCommand(ctxFor(a), 2);
    await auditFailure(ctxFor(), { action: 'login', command: 'auth.verify_otp', userId: a.id, errorMessage: 'wrong code' });
    await auditedCommand(ctxFor(b), 3);
    clock.advance(20 * 60_000); // 00:10 the next day
    await auditedCommand(ctxFor(b), 4);

    const first = await runJob('audit-summary', (ctx) => summarizeAuditLog(ctx, { days: 2 }));
    expect(first).toMatchObject({ ran: true, result: { upserted: 4, from: '2031-03-10' } });
    const expected = [
      { user_id: a.id, action: 'login', count: 1, successful_count: 0, failed_count: 1 },
      { user_id: a.id, action: 'update', count: 2, successful_count: 2, failed_count: 0 },
      { user_id: b.id, action: 'update', count: 1, successful_count: 1, failed_count: 0 },
    ];
    expect(await summary('2031-03-10')).toEqual(expected);
    expect(await summary('2031-03-11')).toEqual([{ user_id: b.id, action: 'update', count: 1, successful_count: 1, failed_count: 0 }]);

    // Running again changes nothing; a new row for today is folded into the existing summary row.
    await summarizeAuditLog({ ...ctxFor(), now: () => clock.now() });
    expect(await summary('2031-03-10')).toEqual(expected);
    await auditedCommand(ctxFor(b), 5);
    await summarizeAuditLog({ ...ctxFor(), now: () => clock.now() });
    expect(await summary('2031-03-11')).toEqual([{ user_id: b.id, action: 'update', count: 2, successful_count: 2, failed_count: 0 }]);
    expect((await summary('2031-03-09'))).toEqual([]);
    expect(new Date(clock.now().getTime() - DAY).toISOString().slice(0, 10)).toBe('2031-03-10');
  });

  it('schedules the outbox, summary and sealing jobs', () => {
    expect(SCHEDULE.map((j) => j.name)).toEqual(expect.arrayContaining(['deliver-emails', 'audit-summary', 'seal-audit-log']));
    expect(SCHEDULE.find((j) => j.name === 'seal-audit-log')).toMatchObject({ interval: '1m' });
  });

  it('seal-audit-log seals the rows of a process that died before its debounced seal', async () => {
    const user = await buildUser();
    await sealNow(); // what earlier tests left
    const before = await lastAuditId();
    await holdingChainLock(async () => {
      for (let i = 0; i < 3; i++) await auditedCommand(ctxFor(user), i);
      // "The process dies": its connection goes away with the seal still pending; a new one takes over.
      await disconnect();
      connect(testDatabaseUrl());
    });
    // The pending in-process seal belonged to the closed connection: it never runs.
    await new Promise((r) => setTimeout(r, 600));
    expect((await chainRows(`id > ${before}`)).map((r) => r.seal_seq)).toEqual([null, null, null]);
    const outcome = await runJob('seal-audit-log', (ctx) => sealAuditChain(ctx, { batchSize: 2 }));
    expect(outcome).toMatchObject({ ran: true, result: { ran: true, sealed: 3, batches: 2, done: true } });
    expect((await chainRows(`id > ${before}`)).every((r) => r.seal_seq !== null)).toBe(true);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('the AdminJS "Verify chain" action reports OK, then the first broken link', async () => {
    const user = await buildUser();
    await auditedCommand(ctxFor(user), 1);
    await sealNow();
    const action = auditActions.verifyChain!;
    expect(action.actionType).toBe('resource');
    const ok = await action.handler({ method: 'get' } as never, {}, {} as never);
    expect(ok.notice).toMatchObject({ type: 'success', message: expect.stringMatching(/^Audit chain OK: \d+ sealed rows verified, 0 not yet sealed$/) });
    const id = await lastAuditId();
    await tamper(`UPDATE audit_log SET command = 'forged' WHERE id = ${id}`);
    const broken = await action.handler({ method: 'get' } as never, {}, {} as never);
    expect(broken.notice).toMatchObject({ type: 'error', message: expect.stringContaining(`BROKEN at id ${id}`) });
  });
});
