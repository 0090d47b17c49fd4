import { describe, expect, it } from 'vitest';
import { AuditLog, Event, LedgerEntry, Notification, PaymentOrder, PaymentTransaction, PaymentWebhook } from '../../src/models/index.js';
import { toMinor } from '../../src/lib/money.js';
import { ledgerSum } from '../money/support.js';
import {
  order, paymentIntent, postRazorpay, postStripe, razorpayBody, razorpayPayment, stripeEvent, stripeSignature, withPaymentConfig,
} from './helpers.js';

/*
 * Chargebacks from the providers' dispute webhooks (the event that means the merchant lost, per
 * docs/decisions/0800-host-money-ledger.md): one chargeback transaction and ledger entry per dispute,
 * in the webhook's transaction; duplicates and other dispute events change nothing; forgeries are 400.
 */
withPaymentConfig();

const hostOf = async (row: PaymentOrder) => (await Event.findByPk(row.event_id))!.host_id;
const chargebacks = (row: PaymentOrder) => LedgerEntry.findAll({ where: { payment_order_id: row.id, kind: 'chargeback' } });

async function paidWithStripe() {
  const placed = await order({ provider: 'stripe' });
  expect((await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(placed.row)))).body.processed).toBe(true);
  return placed.row.reload();
}

const dispute = (row: PaymentOrder, over: Record<string, unknown> = {}) => ({
  id: `dp_${row.order_id.slice(4, 18)}`, object: 'dispute', amount: toMinor(row.amount), currency: row.currency.toLowerCase(),
  charge: `ch_${row.order_id.slice(4, 18)}`, payment_intent: row.provider_payment_id, reason: 'fraudulent', status: 'lost', ...over,
});

describe('Stripe disputes', () => {
  it('charge.dispute.closed (lost) → one chargeback entry, balance reduced, order given back in full, host told, audited', async () => {
    const row = await paidWithStripe();
    const host = await hostOf(row);
    const before = await ledgerSum(host, row.currency);
    const res = await postStripe(stripeEvent('charge.dispute.closed', dispute(row)));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ duplicate: false, processed: true, error: null });

    const entries = await chargebacks(row);
    expect(entries.map((e) => e.amount)).toEqual([`-${row.amount}`]);
    expect(await ledgerSum(host, row.currency)).toBe(before - toMinor(row.amount));
    const t = (await PaymentTransaction.findAll({ where: { payment_order_id: row.id, transaction_type: 'chargeback' } }));
    expect(t.map((x) => [x.status, x.amount, x.provider_transaction_id])).toEqual([['completed', row.amount, dispute(row).id]]);
    expect(entries[0]!.payment_transaction_id).toBe(t[0]!.id);
    await row.reload();
    expect(row).toMatchObject({ status: 'refunded', refund_amount: row.amount });
    // The webhook row and the entry commit together: the stored delivery points at the order.
    expect(await PaymentWebhook.count({ where: { payment_order_id: row.id, webhook_type: 'charge.dispute.closed', processed: true } })).toBe(1);
    const audit = (await AuditLog.findOne({ where: { command: 'payments.order.chargeback', object_id: row.id } }))!;
    expect(audit.payload).toMatchObject({ provider: 'stripe', dispute_id: dispute(row).id, reason: 'fraudulent' });
    expect(await Notification.count({ where: { recipient_id: host, reference_type: 'payment_order', reference_id: row.id } })).toBe(1);
  });

  it('a duplicate delivery, and a second event for the same dispute, book nothing more', async () => {
    const row = await paidWithStripe();
    const body = stripeEvent('charge.dispute.closed', dispute(row));
    await postStripe(body);
    expect((await postStripe(body)).body.duplicate).toBe(true);
    const again = await postStripe(stripeEvent('charge.dispute.closed', dispute(row)));
    expect(again.body).toMatchObject({ duplicate: false, processed: true });
    expect(await chargebacks(row)).toHaveLength(1);
    expect(await PaymentTransaction.count({ where: { payment_order_id: row.id, transaction_type: 'chargeback' } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'payments.order.chargeback', object_id: row.id } })).toBe(1);
  });

  it('concurrent deliveries of one dispute (different event ids) → exactly one chargeback', async () => {
    const row = await paidWithStripe();
    const results = await Promise.all(Array.from({ length: 6 }, () => postStripe(stripeEvent('charge.dispute.closed', dispute(row)))));
    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual(Array(6).fill(200));
    expect(await chargebacks(row)).toHaveLength(1);
  });

  it('a forged or stale signature is 400 and changes nothing; a dispute won, or still open, takes nothing', async () => {
    const row = await paidWithStripe();
    const body = stripeEvent('charge.dispute.closed', dispute(row));
    const forged = await postStripe(body, stripeSignature(body, { secret: 'whsec_someone_else' }));
    expect(forged.status).toBe(400);
    expect((await postStripe(body, null)).status).toBe(400);
    expect(await PaymentWebhook.count({ where: { webhook_type: 'charge.dispute.closed', payment_order_id: row.id } })).toBe(0);
    for (const ignored of [stripeEvent('charge.dispute.closed', dispute(row, { status: 'won' })), stripeEvent('charge.dispute.created', dispute(row, { status: 'needs_response' }))]) {
      expect((await postStripe(ignored)).body).toMatchObject({ processed: true, error: null });
    }
    expect(await chargebacks(row)).toHaveLength(0);
    expect((await row.reload()).status).toBe('paid');
  });

  it('a dispute for more than is left (after a refund) is stored with its error and books nothing', async () => {
    const row = await paidWithStripe();
    await PaymentTransaction.create({ payment_order_id: row.id, transaction_type: 'refund', amount: '100.00', status: 'completed' });
    await row.update({ refund_amount: '100.00' });
    const res = await postStripe(stripeEvent('charge.dispute.closed', dispute(row)));
    expect(res.body.processed).toBe(false);
    expect(res.body.error).toMatch(/exceeds/);
    expect(await chargebacks(row)).toHaveLength(0);
  });
});

describe('Razorpay disputes', () => {
  const rzpDispute = (row: PaymentOrder, over: Record<string, unknown> = {}) => ({
    id: `disp_${row.order_id.slice(4, 18)}`, entity: 'dispute', payment_id: `pay_${row.order_id.slice(4, 18)}`, amount: toMinor(row.amount),
    amount_deducted: 20000, currency: row.currency, reason_code: 'chargeback', status: 'lost', phase: 'chargeback', ...over,
  });

  it('payment.dispute.lost → a chargeback of the amount deducted (partial: the order stays paid); duplicates and forgeries change nothing', async () => {
    const { row } = await order({ provider: 'razorpay' });
    expect((await postRazorpay(razorpayBody('payment.captured', razorpayPayment(row)))).body.processed).toBe(true);
    const host = await hostOf(row);
    const before = await ledgerSum(host, row.currency);
    const body = razorpayBody('payment.dispute.lost', razorpayPayment(row), { dispute: { entity: rzpDispute(row) } });
    expect((await postRazorpay(body, { signature: 'f'.repeat(64) })).status).toBe(400);
    expect(await chargebacks(row)).toHaveLength(0);

    const res = await postRazorpay(body, { eventId: 'evt_dispute_lost_1' });
    expect(res.body).toMatchObject({ processed: true, error: null });
    expect((await chargebacks(row)).map((e) => e.amount)).toEqual(['-200.00']);
    expect(await ledgerSum(host, row.currency)).toBe(before - 20000);
    expect((await postRazorpay(body, { eventId: 'evt_dispute_lost_1' })).body.duplicate).toBe(true);
    await postRazorpay(body, { eventId: 'evt_dispute_lost_2' });
    expect(await chargebacks(row)).toHaveLength(1);
    expect(await row.reload()).toMatchObject({ status: 'paid', refund_amount: '200.00' });
    // What is left to refund shrank by the chargeback.
    expect(toMinor(row.amount) - toMinor(row.refund_amount)).toBe(toMinor(row.amount) - 20000);
    const created = razorpayBody('payment.dispute.created', razorpayPayment(row), { dispute: { entity: rzpDispute(row, { id: 'disp_other', status: 'open' }) } });
    expect((await postRazorpay(created)).body.processed).toBe(true);
    expect(await chargebacks(row)).toHaveLength(1);
  });
});
