import { describe, expect, it } from 'vitest';
import { sequelize } from '../../src/db/connection.js';
import { createContext } from '../../src/context.js';
import { toMinor } from '../../src/lib/money.js';
import { LedgerEntry, PaymentTransaction } from '../../src/models/index.js';
import { hostBalances } from '../../src/modules/money/balance.js';
import { recordMoneyEvent } from '../../src/modules/money/ledger.js';
import {
  approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing,
} from '../../src/modules/money/commands/payouts.js';
import { createAdjustment } from '../../src/modules/money/commands/adjustments.js';
import { clock, DAY } from '../../src/lib/clock.js';
import { config } from '../../src/config.js';
import { hostWithAccount, ledgerSum, moneyBack, pastEvent, payOrder, staffCtx } from './support.js';

const balanceOf = async (hostId: number, currency: string) =>
  (await hostBalances(hostId, clock.now())).find((b) => b.currency === currency);

describe('ledger', () => {
  it('is append-only: UPDATE, DELETE and TRUNCATE are refused by the database', async () => {
    const host = await hostWithAccount();
    await payOrder(await pastEvent(host, 10), { fee: '10.00' });
    const entry = (await LedgerEntry.findOne({ where: { host_id: host.id } }))!;
    await expect(sequelize().query(`UPDATE ledger_entry SET amount = 1 WHERE id = ${entry.id}`)).rejects.toThrow(/append-only/);
    await expect(sequelize().query(`DELETE FROM ledger_entry WHERE id = ${entry.id}`)).rejects.toThrow(/append-only/);
    await expect(sequelize().query('TRUNCATE ledger_entry CASCADE')).rejects.toThrow(/append-only/);
    expect(await LedgerEntry.count({ where: { host_id: host.id } })).toBe(2);
  });

  it('is written only inside the money event\'s transaction, and a redelivered event books nothing twice', async () => {
    const host = await hostWithAccount();
    const order = await payOrder(await pastEvent(host, 10), { fee: '25.00' });
    await expect(recordMoneyEvent(createContext({ source: 'webhook' }), { type: 'sale', order, fee: '25.00' })).rejects.toThrow(/transaction/);
    const again = await sequelize().transaction((transaction) =>
      recordMoneyEvent({ ...createContext({ source: 'webhook' }), transaction }, { type: 'sale', order, fee: '25.00' }));
    expect(again).toEqual([]);
    expect(await ledgerSum(host.id, 'INR')).toBe(toMinor('475.00'));
  });

  it('rolls back with the money event: a failed fulfilment leaves no entry', async () => {
    const host = await hostWithAccount();
    const event = await pastEvent(host, 10);
    const order = await payOrder(event);
    const before = await LedgerEntry.count();
    await expect(sequelize().transaction(async (transaction) => {
      const t = await PaymentTransaction.create({ payment_order_id: order.id, transaction_type: 'refund', amount: '50.00', status: 'completed' }, { transaction });
      await recordMoneyEvent({ ...createContext({ source: 'webhook' }), transaction }, { type: 'refund', order, transaction: t });
      throw new Error('provider call failed');
    })).rejects.toThrow('provider call failed');
    expect(await LedgerEntry.count()).toBe(before);
  });

  it('keeps entries pending until the event ended BALANCE_HOLD_DAYS ago, then available', async () => {
    const hold = config().BALANCE_HOLD_DAYS;
    const host = await hostWithAccount();
    await payOrder(await pastEvent(host, hold - 1, '300.00'), { fee: '30.00' });
    expect(await balanceOf(host.id, 'INR')).toEqual({ currency: 'INR', pendingMinor: 27000, availableMinor: 0, paidOutMinor: 0 });
    clock.set(new Date(clock.now().getTime() + 1 * DAY + 1000));
    expect(await balanceOf(host.id, 'INR')).toEqual({ currency: 'INR', pendingMinor: 0, availableMinor: 27000, paidOutMinor: 0 });
  });

  it('mixed scenario: ledger sums equal order totals minus refunds and fees, per host and currency', async () => {
    const staff = await staffCtx();
    const [a, b] = [await hostWithAccount(), await hostWithAccount()];
    const fees = new Map<string, number>();
    const addFee = (host: number, cur: string, fee: string) => fees.set(`${host}:${cur}`, (fees.get(`${host}:${cur}`) ?? 0) + toMinor(fee));
    const pay = async (event: Awaited<ReturnType<typeof pastEvent>>, amount: string, fee: string, currency: 'INR' | 'USD' = 'INR') => {
      addFee(event.host_id, currency, fee);
      return payOrder(event, { amount, fee, currency });
    };

    const e1 = await pastEvent(a, 10);
    const o1 = [await pay(e1, '500.00', '25.00'), await pay(e1, '500.00', '25.00'), await pay(e1, '500.00', '25.00')];
    await moneyBack(o1[0]!, '100.00');
    await moneyBack(o1[1]!, '200.00');
    await moneyBack(o1[1]!, '300.00'); // two partial refunds make a full one
    await moneyBack(o1[2]!, '500.00', 'chargeback');
    const e2 = await pastEvent(a, 2, '800.00'); // still pending
    const o2 = [await pay(e2, '800.00', '40.00'), await pay(e2, '800.00', '40.00')];
    await moneyBack(o2[0]!, '200.00');
    const e3 = await pastEvent(a, 30, '50.00');
    const o3 = [await pay(e3, '50.00', '2.50', 'USD'), await pay(e3, '50.00', '2.50', 'USD')];
    await moneyBack(o3[1]!, '10.00');
    const e4 = await pastEvent(b, 20, '300.00');
    await pay(e4, '300.00', '15.00');

    // A payout that fails, then one that completes.
    const failed = await createPayout(staff, { host: a.uuid, currency: 'INR' });
    expect(failed.amount).toBe('325.00'); // e1: 1500 − 75 fees − 100 − 500 refunds − 500 chargeback
    expect((await balanceOf(a.id, 'INR'))!.availableMinor).toBe(0);
    await approvePayout(staff, failed.uuid);
    await failPayout(staff, failed.uuid, { reason: 'bank rejected the account' });
    expect((await balanceOf(a.id, 'INR'))!.availableMinor).toBe(32500);
    const paid = await createPayout(staff, { host: a.uuid, currency: 'INR' });
    await approvePayout(staff, paid.uuid);
    await markPayoutProcessing(staff, paid.uuid, { reference: 'NEFT-1' });
    await completePayout(staff, paid.uuid, { reference: 'NEFT-1' });
    await createAdjustment(staff, { host: b.uuid, currency: 'INR', amount: '-5.00', reason: 'bank charge passed on' });

    // Per host and currency, recomputed from the payment tables.
    const [rows] = await sequelize().query(`
      SELECT ev.host_id, o.currency,
             SUM(o.amount)::text AS gross,
             COALESCE((SELECT SUM(t.amount) FROM payment_transaction t JOIN payment_order o2 ON o2.id = t.payment_order_id
                        JOIN event ev2 ON ev2.id = o2.event_id
                       WHERE ev2.host_id = ev.host_id AND o2.currency = o.currency AND t.transaction_type IN ('refund', 'chargeback')), 0)::text AS back
        FROM payment_order o JOIN event ev ON ev.id = o.event_id
       WHERE ev.host_id IN (:hosts) AND o.status IN ('paid', 'completed', 'refunded')
       GROUP BY ev.host_id, o.currency`, { replacements: { hosts: [a.id, b.id] } }) as [{ host_id: number; currency: string; gross: string; back: string }[], unknown];
    expect(rows).toHaveLength(3);
    for (const r of rows) {
      const expected = toMinor(r.gross) - toMinor(r.back) - fees.get(`${r.host_id}:${r.currency}`)!;
      expect(await ledgerSum(r.host_id, r.currency, ['sale', 'fee', 'refund', 'chargeback']), `${r.host_id} ${r.currency}`).toBe(expected);
    }

    expect(await balanceOf(a.id, 'INR')).toEqual({ currency: 'INR', pendingMinor: 160000 - 8000 - 20000, availableMinor: 0, paidOutMinor: 32500 });
    expect(await balanceOf(a.id, 'USD')).toEqual({ currency: 'USD', pendingMinor: 0, availableMinor: 10000 - 500 - 1000, paidOutMinor: 0 });
    expect(await balanceOf(b.id, 'INR')).toEqual({ currency: 'INR', pendingMinor: 0, availableMinor: 30000 - 1500 - 500, paidOutMinor: 0 });
    // Every entry counts once: the balance is the whole ledger (payouts included).
    for (const [host, cur] of [[a.id, 'INR'], [a.id, 'USD'], [b.id, 'INR']] as const) {
      const bal = (await balanceOf(host, cur))!;
      expect(await ledgerSum(host, cur)).toBe(bal.pendingMinor + bal.availableMinor);
    }
    // The failed payout's entries are reversed, the completed one's are not.
    expect(await LedgerEntry.sum('amount', { where: { payout_id: failed.id } })).toBe(0);
    expect(await ledgerSum(a.id, 'INR', ['payout'])).toBe(-32500);
  });
});
