import { describe, expect, it } from 'vitest';
import { AuditLog, LedgerEntry, Payout } from '../../src/models/index.js';
import { sequelize } from '../../src/db/connection.js';
import { Conflict } from '../../src/lib/errors.js';
import {
  approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing,
} from '../../src/modules/money/commands/payouts.js';
import { buildUser } from '../support/factories.js';
import { ctxOf, hostWithAccount, ledgerSum, pastEvent, payOrder, staffCtx } from './support.js';

async function hostWithMoney() {
  const host = await hostWithAccount();
  await payOrder(await pastEvent(host, 30, '1000.00'), { fee: '50.00' });
  return host;
}

describe('payouts', () => {
  it('20 concurrent creations for one host and currency → exactly one payout', async () => {
    const host = await hostWithMoney();
    const staffs = await Promise.all(Array.from({ length: 20 }, () => staffCtx()));
    const results = await Promise.allSettled(staffs.map((ctx) => createPayout(ctx, { host: host.uuid, currency: 'INR' })));
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(refused).toHaveLength(19);
    for (const r of refused) expect(r.reason).toBeInstanceOf(Conflict);
    expect(await Payout.count({ where: { host_id: host.id } })).toBe(1);
    expect(await ledgerSum(host.id, 'INR', ['payout'])).toBe(-95000);
    expect(await ledgerSum(host.id, 'INR')).toBe(0);
  });

  it('the partial unique index holds even when the command is bypassed', async () => {
    const host = await hostWithMoney();
    const staff = await staffCtx();
    await createPayout(staff, { host: host.uuid, currency: 'INR' });
    await expect(Payout.create({ host_id: host.id, amount: '1.00', currency: 'INR', status: 'approved' })).rejects.toThrow();
    expect(await Payout.create({ host_id: host.id, amount: '1.00', currency: 'USD', status: 'pending' })).toBeTruthy();
  });

  it('a completed payout can never be completed again (sequentially or concurrently) nor failed afterwards', async () => {
    const host = await hostWithMoney();
    const staff = await staffCtx();
    const payout = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    await expect(completePayout(staff, payout.uuid)).rejects.toBeInstanceOf(Conflict); // not processing yet
    await approvePayout(staff, payout.uuid);
    await expect(approvePayout(staff, payout.uuid)).rejects.toBeInstanceOf(Conflict);
    await markPayoutProcessing(staff, payout.uuid);
    const staffs = await Promise.all(Array.from({ length: 10 }, () => staffCtx()));
    const results = await Promise.allSettled(staffs.map((ctx) => completePayout(ctx, payout.uuid, { reference: 'UTR1' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    await expect(completePayout(staff, payout.uuid)).rejects.toBeInstanceOf(Conflict);
    await expect(failPayout(staff, payout.uuid, { reason: 'late bounce' })).rejects.toBeInstanceOf(Conflict);
    const done = (await Payout.findByPk(payout.id))!;
    expect(done.status).toBe('completed');
    expect(await AuditLog.count({ where: { command: 'money.complete_payout', object_uuid: payout.uuid } })).toBe(1);
    expect(await ledgerSum(host.id, 'INR', ['payout'])).toBe(-95000);
  });

  it('a failed payout reverses its entries once and frees the host for a new payout', async () => {
    const host = await hostWithMoney();
    const staff = await staffCtx();
    const payout = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    await expect(failPayout(staff, payout.uuid, { reason: ' ' })).rejects.toThrow(/reason/);
    const results = await Promise.allSettled([1, 2, 3].map(() => failPayout(staff, payout.uuid, { reason: 'wrong IFSC' })));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(await LedgerEntry.count({ where: { payout_id: payout.id } })).toBe(2);
    expect(await ledgerSum(host.id, 'INR')).toBe(95000);
    const next = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    expect(next.amount).toBe('950.00');
  });

  it('refuses without money, without an account, and for non-staff', async () => {
    const staff = await staffCtx();
    const poor = await hostWithAccount();
    await expect(createPayout(staff, { host: poor.uuid, currency: 'INR' })).rejects.toThrow(/Nothing is available/);
    const noAccount = await buildUser();
    await payOrder(await pastEvent(noAccount, 30));
    await expect(createPayout(staff, { host: noAccount.uuid, currency: 'INR' })).rejects.toThrow(/payout account/);
    const host = await hostWithMoney();
    await expect(createPayout(ctxOf(host, 'api'), { host: host.uuid, currency: 'INR' })).rejects.toThrow(/staff/);
    expect(await Payout.count({ where: { host_id: [poor.id, noAccount.id, host.id] } })).toBe(0);
  });

  it('refuses a status change by hand that would reopen or re-complete a payout only through the command', async () => {
    const host = await hostWithMoney();
    const staff = await staffCtx();
    const payout = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    // completed_at and status move together (CHECK): a "completed" row without a completion time is refused.
    await expect(sequelize().query(`UPDATE payout SET status = 'completed' WHERE id = ${payout.id}`)).rejects.toThrow();
  });
});
