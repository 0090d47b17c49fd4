import { describe, expect, it, vi } from 'vitest';
import { AttendanceRecord, EventAttendee, PaymentTransaction } from '../../src/models/index.js';
import { createContext } from '../../src/context.js';
import { confirmRefund, executePendingRefunds } from '../../src/modules/payments/commands/index.js';
import { bearer } from '../support/app.js';
import { buildStaff, buildUser } from '../support/factories.js';
import { count, recount } from '../joining/helpers.js';
import {
  agent, order, paymentIntent, postRazorpay, postStripe, razorpayBody, razorpayPayment, stripeEvent, withPaymentConfig,
} from './helpers.js';

withPaymentConfig();

async function paidOrder(o: { provider?: 'stripe' | 'razorpay'; seats?: number; capacity?: number } = {}) {
  const placed = await order({ provider: o.provider ?? 'stripe', seats: o.seats, capacity: o.capacity });
  const res = o.provider === 'razorpay'
    ? await postRazorpay(razorpayBody('payment.captured', razorpayPayment(placed.row)))
    : await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(placed.row)));
  expect(res.body.processed).toBe(true);
  await placed.row.reload();
  return placed;
}

const refund = async (uuid: string, user: { uuid: string }, body: Record<string, unknown>) =>
  (await agent()).post(`/api/payments/orders/${uuid}/refund`).set('Authorization', await bearer(user)).send(body);

const committed = (orderId: number) =>
  count(`SELECT COALESCE(SUM(amount * 100), 0) FROM payment_transaction WHERE payment_order_id = :o AND transaction_type = 'refund' AND status <> 'failed'`, { o: orderId });

describe('refunds', () => {
  it('never refunds more than paid under 20 concurrent partial refunds: the losers get 409', async () => {
    const { row, event } = await paidOrder({ seats: 2 }); // 998.00
    const host = event.host!;
    const responses = await Promise.all(Array.from({ length: 20 }, () => refund(row.uuid, host, { amount: '100.00', reason: 'goodwill' })));
    const ok = responses.filter((r) => r.status === 200);
    expect(ok).toHaveLength(9);
    expect(responses.filter((r) => r.status === 409)).toHaveLength(11);
    expect(responses.every((r) => r.status === 200 || r.headers['content-type'].startsWith('application/problem+json'))).toBe(true);
    expect(await committed(row.id)).toBe(90000);
    // What is left (98.00) can still be refunded; then nothing more.
    const rest = await refund(row.uuid, host, { reason: 'the rest' });
    expect(rest.status).toBe(200);
    expect(rest.body.refund.amount).toBe('98.00');
    expect(rest.body.order).toMatchObject({ status: 'refunded', refund_amount: '0.00', refund_pending: '998.00' });
    expect((await refund(row.uuid, host, { amount: '0.01', reason: 'more' })).status).toBe(409);
    expect(await committed(row.id)).toBe(99800);
  });

  it('a full refund cancels the attendee, voids the ticket and frees the seats', async () => {
    const { row, event, buyer } = await paidOrder({ seats: 2, capacity: 2 });
    expect((await recount(event.id)).going_count).toBe(2);
    const res = await refund(row.uuid, await buildStaff(), { reason: 'host request' });
    expect(res.status).toBe(200);
    expect(res.body.order.status).toBe('refunded');
    const attendee = (await EventAttendee.findOne({ where: { event_id: event.id, user_id: buyer.id } }))!;
    expect(attendee.status).toBe('cancelled');
    const ticket = (await AttendanceRecord.findOne({ where: { payment_order_id: row.id } }))!;
    expect([ticket.status, ticket.payment_status]).toEqual(['cancelled', 'refunded']);
    const r = await recount(event.id);
    expect([r.going_count, r.going]).toEqual([0, 0]);
  });

  it('lets only the host or staff refund; validates the body', async () => {
    const { row, buyer } = await paidOrder();
    expect((await refund(row.uuid, buyer, { reason: 'x' })).status).toBe(403);
    expect((await refund(row.uuid, await buildUser(), { reason: 'x' })).status).toBe(404);
    const staff = await buildStaff();
    expect((await refund(row.uuid, staff, { amount: '1.234', reason: 'x' })).status).toBe(400);
    expect((await refund(row.uuid, staff, { amount: 5, reason: 'x' })).status).toBe(400);
    expect((await refund(row.uuid, staff, { amount: '0.00', reason: 'x' })).status).toBe(400);
    expect((await refund(row.uuid, staff, { amount: '10.00' })).status).toBe(400);
    expect((await refund(row.uuid, staff, { amount: '500.00', reason: 'x' })).status).toBe(409);
    const unpaid = await order();
    expect((await refund(unpaid.row.uuid, staff, { reason: 'x' })).status).toBe(409);
  });

  it('without provider credentials leaves the refund for staff, who confirm it once executed', async () => {
    const { row, event } = await paidOrder();
    await refund(row.uuid, event.host!, { amount: '99.00', reason: 'partial' });
    // Sent after commit; the job would pick it up had the process died first. Either way: once.
    await executePendingRefunds(createContext({ source: 'job' }));
    const pending = await vi.waitFor(async () => {
      const t = (await PaymentTransaction.findOne({ where: { payment_order_id: row.id, transaction_type: 'refund' } }))!;
      if (!t.failure_reason) throw new Error('not yet handed to staff');
      return t;
    });
    expect(pending.status).toBe('pending');
    expect(pending.failure_reason).toMatch(/execute it by hand/);
    const staff = await buildStaff();
    const ctx = createContext({ source: 'admin', actor: { id: staff.id, uuid: staff.uuid, is_staff: true, is_superuser: false } });
    await confirmRefund(ctx, { refundId: pending.id, reference: 'UTR-1234' });
    await expect(confirmRefund(ctx, { refundId: pending.id, reference: 'UTR-1234' })).rejects.toThrow(/completed/);
    expect((await row.reload()).refund_amount).toBe('99.00');
  });

  it('reconciles a refund webhook with the refund already recorded, without counting it twice', async () => {
    const { row, event } = await paidOrder({ provider: 'razorpay' });
    await refund(row.uuid, event.host!, { amount: '100.00', reason: 'partial' });
    const refundEvent = (id: string, amount: number) => razorpayBody('refund.processed', razorpayPayment(row), {
      refund: { entity: { id, entity: 'refund', amount, currency: 'INR', payment_id: razorpayPayment(row).id, notes: {} } },
    });
    const first = await postRazorpay(refundEvent('rfnd_1', 10000), { eventId: 'evt_refund_1' });
    expect(first.body).toMatchObject({ processed: true, error: null });
    // The same refund reported again under another event id: still one refund.
    const again = await postRazorpay(refundEvent('rfnd_1', 10000), { eventId: 'evt_refund_1b' });
    expect(again.body).toMatchObject({ processed: true, error: null });
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['paid', '100.00']);
    expect(await PaymentTransaction.count({ where: { payment_order_id: row.id, transaction_type: 'refund' } })).toBe(1);
    // A refund made at the provider's dashboard for the rest is recorded and completes the refund.
    const rest = await postRazorpay(refundEvent('rfnd_2', 39900), { eventId: 'evt_refund_2' });
    expect(rest.body).toMatchObject({ processed: true, error: null });
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['refunded', '499.00']);
    expect((await recount(event.id)).going_count).toBe(0);
    // Beyond what was paid: stored with its error, nothing counted.
    const extra = await postRazorpay(refundEvent('rfnd_3', 100), { eventId: 'evt_refund_3' });
    expect(extra.body.processed).toBe(false);
    expect(extra.body.error).toMatch(/exceeds/);
    expect((await row.reload()).refund_amount).toBe('499.00');
  });

  it('reconciles Stripe charge.refunded by its running total', async () => {
    const { row } = await paidOrder();
    const charge = (refunded: number) => ({
      id: 'ch_1', object: 'charge', amount: 49900, amount_refunded: refunded, currency: 'inr', payment_intent: paymentIntent(row).id,
      metadata: { order_id: row.order_id },
    });
    expect((await postStripe(stripeEvent('charge.refunded', charge(20000)))).body.processed).toBe(true);
    expect((await postStripe(stripeEvent('charge.refunded', charge(20000)))).body.processed).toBe(true);
    expect((await row.reload()).refund_amount).toBe('200.00');
    await postStripe(stripeEvent('charge.refunded', charge(49900)));
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['refunded', '499.00']);
  });

  it('concurrent refund deliveries for one order (different event ids) all answer 200 and count the refund once', async () => {
    const { row } = await paidOrder();
    const charge = {
      id: 'ch_2', object: 'charge', amount: 49900, amount_refunded: 20000, currency: 'inr', payment_intent: paymentIntent(row).id,
      metadata: { order_id: row.order_id }, refunds: { data: [{ id: 're_concurrent_1', amount: 20000, status: 'succeeded' }] },
    };
    const results = await Promise.all(Array.from({ length: 6 }, () => postStripe(stripeEvent('charge.refunded', charge))));
    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual(Array(6).fill(200));
    expect((await row.reload()).refund_amount).toBe('200.00');
  });
});
