import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, PaymentTransaction, PaymentWebhook } from '../../src/models/index.js';
import { superuserAgent, type Agent } from '../admin/support.js';
import { order, paymentIntent, postStripe, stripeEvent, withPaymentConfig } from './helpers.js';

withPaymentConfig({ PLATFORM_FEE_PERCENT: '10' });

describe('payments in the panel', () => {
  let admin: Agent;
  beforeAll(async () => {
    admin = await superuserAgent();
  });

  it('shows revenue, refunds and fees on the event page from real orders', async () => {
    const { row, event } = await order({ seats: 2 });
    await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row)));
    const res = await admin.get(`/admin/api/resources/event/records/${event.id}/show`);
    expect(res.status).toBe(200);
    expect(res.body.record.params).toMatchObject({
      orders_paid: 1, revenue: '998.00', refunded: '0.00', refunds_pending: '0.00', platform_fees: '99.80', host_share: '898.20', net: '998.00',
    });
  });

  it('refunds through the Refund action on POST only', async () => {
    const { row, event } = await order();
    await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row)));
    const url = `/admin/api/resources/payment_order/records/${row.id}/refund`;
    expect((await admin.get(url)).status).toBe(200);
    expect(await PaymentTransaction.count({ where: { payment_order_id: row.id, transaction_type: 'refund' } })).toBe(0);
    const res = await admin.post(url).send({ amount: '100.00', reason: 'partial, from the panel' });
    expect(res.body.notice.type).toBe('success');
    const over = await admin.post(url).send({ amount: '450.00', reason: 'too much' });
    expect(over.body.notice.type).toBe('error');
    expect(await PaymentTransaction.count({ where: { payment_order_id: row.id, transaction_type: 'refund' } })).toBe(1);
    const page = await admin.get(`/admin/api/resources/event/records/${event.id}/show`);
    expect(page.body.record.params).toMatchObject({ refunds_pending: '100.00', net: '399.00' });
  });

  it('marks a cash order paid, and retries a stored delivery once its cause is fixed', async () => {
    const cash = await order({ provider: 'cash' });
    const marked = await admin.post(`/admin/api/resources/payment_order/records/${cash.row.id}/markPaid`).send({ reference: 'RCPT-99' });
    expect(marked.body.notice.type).toBe('success');
    expect((await cash.row.reload()).status).toBe('paid');

    // A delivery whose order id was wrong at the time: fixed by staff (the order row says so now).
    const { row } = await order();
    const res = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row, { metadata: { order_id: 'ord_typo' } })));
    expect(res.body.processed).toBe(false);
    const hook = (await PaymentWebhook.findOne({ where: { processing_error: 'unknown order ord_typo' } }))!;
    await hook.update({ payload: { ...hook.payload, data: { object: paymentIntent(row) } } });
    const retried = await admin.post(`/admin/api/resources/payment_webhook/records/${hook.id}/retry`).send({});
    expect(retried.body.notice.type).toBe('success');
    expect((await row.reload()).status).toBe('paid');
    expect((await hook.reload()).processed).toBe(true);
    expect(await AuditLog.count({ where: { command: 'payments.webhook.retry' } })).toBe(1);
  });

  it('filters orders by status, provider, event and date', async () => {
    const { row } = await order({ provider: 'bank_transfer' });
    const res = await admin.get(`/admin/api/resources/payment_order/actions/list?filters.status=pending&filters.payment_provider=bank_transfer&filters.event_id=${row.event_id}&filters.created_at~~from=2000-01-01`);
    expect(res.status).toBe(200);
    expect(res.body.records.map((r: { id: string }) => Number(r.id))).toEqual([row.id]);
  });
});
