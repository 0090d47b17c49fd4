import { describe, expect, it } from 'vitest';
import { config, setConfig } from '../../src/config.js';
import { clock, DAY, MINUTE } from '../../src/lib/clock.js';
import { toMinor } from '../../src/lib/money.js';
import { LedgerEntry, PaymentOrder, PaymentTransaction, type AuthUser, type Event } from '../../src/models/index.js';
import { hostBalances } from '../../src/modules/money/balance.js';
import { approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing } from '../../src/modules/money/commands/payouts.js';
import { bearer } from '../support/app.js';
import { buildAttendee, buildPaidEvent, buildUser } from '../support/factories.js';
import { agent, order, paymentIntent, postStripe, stripeEvent, withPaymentConfig } from '../payments/helpers.js';
import { hostWithAccount, ledgerSum, staffCtx } from './support.js';

withPaymentConfig({ PLATFORM_FEE_PERCENT: '5', PLATFORM_FEE_FIXED: '2.00' });

/** Paid through the real payments path: order via the API, Stripe webhook → fulfilment. */
async function paidViaStripe(event: Event) {
  const placed = await order({ event });
  const res = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(placed.row)));
  expect(res.body.processed).toBe(true);
  return placed.row.reload();
}

/** Paid in cash, marked paid by the host (same fulfilment). */
async function paidInCash(event: Event, host: AuthUser) {
  const placed = await order({ event, provider: 'cash' });
  const res = await (await agent()).post(`/api/payments/orders/${placed.row.uuid}/mark-paid`).set('Authorization', await bearer(host)).send({ reference: 'cash desk' });
  expect(res.status).toBe(200);
  return placed.row.reload();
}

async function refund(orderRow: PaymentOrder, host: AuthUser, amount?: string) {
  const res = await (await agent()).post(`/api/payments/orders/${orderRow.uuid}/refund`).set('Authorization', await bearer(host))
    .send({ ...(amount ? { amount } : {}), reason: 'host goodwill' });
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
}

describe('ledger booked by the payment commands', () => {
  it('mixed scenario through payments: several events, partial refunds, a late-payment refund, a chargeback, a failed payout', async () => {
    const staff = await staffCtx();
    const [a, b] = [await hostWithAccount(), await hostWithAccount()];
    const e1 = await buildPaidEvent({ host: a, max_capacity: 10, ticket_price: '499.00' });
    const e2 = await buildPaidEvent({ host: a, max_capacity: 10, ticket_price: '1200.00' });
    const e3 = await buildPaidEvent({ host: b, max_capacity: 1, ticket_price: '300.00' });

    const o1 = [await paidViaStripe(e1), await paidViaStripe(e1), await paidInCash(e1, a), await paidViaStripe(e1)];
    await refund(o1[0]!, a, '100.00');
    await refund(o1[0]!, a, '50.00');
    await refund(o1[1]!, a); // full
    const previous = config();
    setConfig({ ...previous, CURRENCY: 'USD' });
    const o2 = [await paidViaStripe(e2), await paidViaStripe(e2)];
    setConfig(previous);
    await refund(o2[1]!, a, '200.00');

    // Host b: one sale, then a late payment for a seat given away meanwhile → refunded in full at once.
    const sold = await paidViaStripe(e3);
    await refund(sold, b, '30.00');
    const lateEvent = await buildPaidEvent({ host: b, max_capacity: 1, ticket_price: '250.00' });
    const late = await order({ event: lateEvent });
    clock.set(new Date(late.row.expires_at.getTime() + MINUTE));
    await buildAttendee({ event: lateEvent, user: await buildUser() });
    await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(late.row)));
    expect((await late.row.reload()).status).toBe('refunded');

    // A chargeback: the buyer's bank wins a dispute on the fourth order (Stripe's signed dispute webhook).
    const lost = await postStripe(stripeEvent('charge.dispute.closed', {
      id: 'dp_mixed_1', object: 'dispute', amount: 49900, currency: 'inr', payment_intent: o1[3]!.provider_payment_id, reason: 'fraudulent', status: 'lost',
    }));
    expect(lost.body).toMatchObject({ processed: true, error: null });
    expect(await LedgerEntry.count({ where: { payment_order_id: o1[3]!.id, kind: 'chargeback' } })).toBe(1);

    // Every event over and past the hold: all available. One payout fails, the next completes.
    clock.set(new Date(clock.now().getTime() + 30 * DAY));
    const failed = await createPayout(staff, { host: a.uuid, currency: 'INR' });
    await approvePayout(staff, failed.uuid);
    await markPayoutProcessing(staff, failed.uuid);
    await failPayout(staff, failed.uuid, { reason: 'account closed' });
    const paid = await createPayout(staff, { host: a.uuid, currency: 'INR' });
    expect(paid.amount).toBe(failed.amount);
    await approvePayout(staff, paid.uuid);
    await markPayoutProcessing(staff, paid.uuid);
    await completePayout(staff, paid.uuid);

    // Recomputed from the payment tables: paid orders − refunds − chargebacks − fees (none on the late one).
    const lateOrderIds = new Set([late.row.id]);
    for (const [host, currency] of [[a, 'INR'], [a, 'USD'], [b, 'INR']] as const) {
      const orders = await PaymentOrder.findAll({
        where: { currency, status: ['paid', 'completed', 'refunded'] },
        include: [{ association: 'event', where: { host_id: host.id }, attributes: ['id'] }],
      });
      const back = await PaymentTransaction.findAll({ where: { payment_order_id: orders.map((o) => o.id), transaction_type: ['refund', 'chargeback'] } });
      const expected = orders.reduce((s, o) => s + toMinor(o.amount) - (lateOrderIds.has(o.id) ? 0 : toMinor(o.platform_fee)), 0)
        - back.reduce((s, t) => s + toMinor(t.amount), 0);
      expect(orders.length, `${host.id} ${currency}`).toBeGreaterThan(0);
      expect(await ledgerSum(host.id, currency, ['sale', 'fee', 'refund', 'chargeback']), `${host.id} ${currency}`).toBe(expected);
      const bal = (await hostBalances(host.id, clock.now())).find((x) => x.currency === currency)!;
      expect(bal.pendingMinor).toBe(0);
      expect(await ledgerSum(host.id, currency)).toBe(bal.availableMinor);
    }
    // Fees are the order snapshots: 5% + 2.00 of 499.00 = 26.95.
    expect(o1[0]!.platform_fee).toBe('26.95');
    expect(await LedgerEntry.count({ where: { payment_order_id: late.row.id } })).toBe(2); // sale + full refund, no fee
    expect(await ledgerSum(b.id, 'INR', ['sale', 'fee', 'refund'])).toBe(toMinor('300.00') - toMinor('17.00') - toMinor('30.00'));
    const aInr = (await hostBalances(a.id, clock.now())).find((x) => x.currency === 'INR')!;
    expect(aInr).toMatchObject({ availableMinor: 0, paidOutMinor: toMinor(paid.amount) });
    // 4 × 499 − 4 × 26.95 fees − 150 − 499 refunds − 499 chargeback = 740.20
    expect(paid.amount).toBe('740.20');
  });

  it('a redelivered webhook books the sale once', async () => {
    const host = await hostWithAccount();
    const event = await buildPaidEvent({ host, max_capacity: 5 });
    const placed = await order({ event });
    const payload = stripeEvent('payment_intent.succeeded', paymentIntent(placed.row));
    await postStripe(payload);
    await postStripe(payload);
    await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(placed.row)));
    expect(await LedgerEntry.count({ where: { payment_order_id: placed.row.id } })).toBe(2);
  });
});
