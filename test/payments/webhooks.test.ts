import { describe, expect, it } from 'vitest';
import { config, setConfig } from '../../src/config.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import {
  AttendanceRecord, EventAttendee, Notification, PaymentOrder, PaymentTransaction, PaymentWebhook, TicketSecret,
} from '../../src/models/index.js';
import { buildAttendee, buildUser } from '../support/factories.js';
import { count, recount } from '../joining/helpers.js';
import {
  liveHold, order, paymentIntent, postRazorpay, postStripe, razorpayBody, razorpayPayment, razorpaySign, stripeEvent, stripeSignature,
  withPaymentConfig,
} from './helpers.js';

withPaymentConfig();

const transactions = (orderId: number, type = 'payment') => PaymentTransaction.count({ where: { payment_order_id: orderId, transaction_type: type } });

describe('Stripe webhooks', () => {
  it('pays the order: one transaction, hold consumed, one paid attendee with a ticket, receipt queued — seats counted', async () => {
    const { row, event, hold, buyer } = await order({ seats: 2, capacity: 2 });
    const payload = stripeEvent('payment_intent.succeeded', paymentIntent(row));
    const res = await postStripe(payload);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ received: true, duplicate: false, processed: true, error: null });
    await row.reload();
    expect(row.status).toBe('paid');
    expect(row.paid_at).not.toBeNull();
    expect(row.provider_payment_id).toBe(paymentIntent(row).id);
    expect(await transactions(row.id)).toBe(1);
    const attendee = (await EventAttendee.findOne({ where: { event_id: event.id, user_id: buyer.id } }))!;
    expect(attendee).toMatchObject({ status: 'going', is_paid: true, price_paid: '998.00', seats: 2 });
    const ticket = (await AttendanceRecord.findOne({ where: { attendee_id: attendee.id } }))!;
    expect(ticket).toMatchObject({ payment_status: 'paid', payment_order_id: row.id, status: 'going' });
    const secret = (await TicketSecret.findOne({ where: { attendance_record_id: ticket.id } }))!;
    expect(secret.secret_lookup).toBe(ticket.ticket_secret);
    expect(attendee.platform_fee).toBe(row.platform_fee);
    expect(await liveHold(hold.id)).toBe(false);
    const r = await recount(event.id);
    expect([r.going_count, r.going, r.held]).toEqual([2, 2, 0]);
    const receipt = (await Notification.findOne({ where: { recipient_id: buyer.id, type: 'payment_success' } }))!;
    expect(receipt.email_status).toBe('pending');
    expect(receipt.metadata).toMatchObject({ template: 'receipt', amount: '998.00', order_reference: row.order_reference, ticket_uuid: ticket.uuid });
    const hook = (await PaymentWebhook.findOne({ where: { provider: 'stripe', payment_order_id: row.id } }))!;
    expect(hook).toMatchObject({ processed: true, processing_error: null, webhook_type: 'payment_intent.succeeded' });
  });

  it('refuses stale, wrongly signed, tampered and unsigned deliveries with 400 and changes nothing', async () => {
    const { row, hold } = await order();
    const payload = stripeEvent('payment_intent.succeeded', paymentIntent(row));
    const stale = await postStripe(payload, stripeSignature(payload, { at: new Date(clock.now().getTime() - 6 * MINUTE) }));
    const wrong = await postStripe(payload, stripeSignature(payload, { secret: 'whsec_someone_else' }));
    const tampered = await postStripe(payload.replace(`"amount":${paymentIntent(row).amount}`, '"amount":1'), stripeSignature(payload));
    const missing = await postStripe(payload, null);
    const garbage = await postStripe(payload, 't=abc,v1=zzz');
    for (const res of [stale, wrong, tampered, missing, garbage]) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await row.reload()).status).toBe('created');
    expect(await PaymentWebhook.count({ where: { provider_event_id: JSON.parse(payload).id } })).toBe(0);
    expect(await transactions(row.id)).toBe(0);
    expect(await liveHold(hold.id)).toBe(true);
  });

  it('answers 503 when the signing secret is not configured', async () => {
    const previous = config();
    setConfig({ ...previous, STRIPE_WEBHOOK_SECRET: undefined });
    try {
      const res = await postStripe(stripeEvent('payment_intent.succeeded', {}));
      expect(res.status).toBe(503);
    } finally {
      setConfig(previous);
    }
  });

  it('processes 100 concurrent duplicates exactly once', async () => {
    const { row, event } = await order({ capacity: 1 });
    const payload = stripeEvent('payment_intent.succeeded', paymentIntent(row));
    const signature = stripeSignature(payload);
    const responses = await Promise.all(Array.from({ length: 100 }, () => postStripe(payload, signature)));
    expect(responses.map((r) => r.status)).toEqual(Array(100).fill(200));
    expect(responses.filter((r) => !r.body.duplicate)).toHaveLength(1);
    expect(await PaymentWebhook.count({ where: { provider_event_id: JSON.parse(payload).id } })).toBe(1);
    expect(await transactions(row.id)).toBe(1);
    expect(await EventAttendee.count({ where: { event_id: event.id } })).toBe(1);
    expect(await Notification.count({ where: { recipient_id: row.user_id, type: 'payment_success' } })).toBe(1);
    const r = await recount(event.id);
    expect([r.going_count, r.going]).toEqual([1, 1]);
  });

  it('counts a second event for the same payment (checkout.session.completed) once', async () => {
    const { row } = await order();
    await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row)));
    const session = { id: 'cs_test_1', object: 'checkout.session', amount_total: 49900, currency: 'inr', payment_status: 'paid', payment_intent: paymentIntent(row).id, metadata: { order_id: row.order_id } };
    const res = await postStripe(stripeEvent('checkout.session.completed', session));
    expect(res.body).toMatchObject({ processed: true, error: null });
    expect(await transactions(row.id)).toBe(1);
  });

  it('concurrent different events for one payment (intent and session, several each) all answer 200 and pay once', async () => {
    const { row } = await order();
    const session = { id: 'cs_test_2', object: 'checkout.session', amount_total: 49900, currency: 'inr', payment_status: 'paid', payment_intent: paymentIntent(row).id, metadata: { order_id: row.order_id } };
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => postStripe(i % 2
      ? stripeEvent('checkout.session.completed', session) : stripeEvent('payment_intent.succeeded', paymentIntent(row)))));
    expect(results.map((r) => r.status), JSON.stringify(results.map((r) => r.body))).toEqual(Array(6).fill(200));
    expect(await transactions(row.id)).toBe(1);
  });

  it('stores an amount or currency mismatch with its error, 200, and does not mark the order paid', async () => {
    const { row, hold } = await order();
    const low = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row, { amount: 100, amount_received: 100 })));
    expect(low.status).toBe(200);
    expect(low.body.processed).toBe(false);
    expect(low.body.error).toMatch(/amount 1.00 differs/);
    const usd = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row, { currency: 'usd' })));
    expect(usd.body.error).toMatch(/currency USD/);
    expect((await row.reload()).status).toBe('created');
    expect(await transactions(row.id)).toBe(0);
    expect(await liveHold(hold.id)).toBe(true);
    const stored = await PaymentWebhook.findAll({ where: { payment_order_id: row.id }, order: [['id', 'ASC']] });
    expect(stored.map((w) => [w.processed, !!w.processing_error])).toEqual([[false, true], [false, true]]);
  });

  it('stores a delivery for an unknown order with its error and answers 200', async () => {
    const res = await postStripe(stripeEvent('payment_intent.succeeded', { id: 'pi_x', amount: 100, amount_received: 100, currency: 'inr', metadata: { order_id: 'ord_nope' } }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processed: false, error: 'unknown order ord_nope' });
    expect(await PaymentWebhook.count({ where: { processing_error: 'unknown order ord_nope' } })).toBe(1);
  });

  it('fails the order on payment_intent.payment_failed: hold released, buyer told', async () => {
    const { row, hold, buyer } = await order();
    const res = await postStripe(stripeEvent('payment_intent.payment_failed', paymentIntent(row, { last_payment_error: { message: 'Your card was declined.' } })));
    expect(res.body.processed).toBe(true);
    await row.reload();
    expect([row.status, row.failure_reason]).toEqual(['failed', 'Your card was declined.']);
    expect(await liveHold(hold.id)).toBe(false);
    expect(await Notification.count({ where: { recipient_id: buyer.id, type: 'payment_failed' } })).toBe(1);
  });

  it('stores other event types as processed without touching any order', async () => {
    const res = await postStripe(stripeEvent('customer.created', { id: 'cus_1' }));
    expect(res.body).toMatchObject({ processed: true, error: null });
  });
});

describe('Razorpay webhooks', () => {
  it('pays on payment.captured with a real HMAC; a wrong or missing signature or event id is 400', async () => {
    const { row, event } = await order({ provider: 'razorpay' });
    const body = razorpayBody('payment.captured', razorpayPayment(row));
    expect((await postRazorpay(body, { signature: razorpaySign(body, 'other-secret') })).status).toBe(400);
    expect((await postRazorpay(body, { signature: null })).status).toBe(400);
    expect((await postRazorpay(body.replace('"upi"', '"card"'), { signature: razorpaySign(body) })).status).toBe(400);
    expect(await PaymentWebhook.count({ where: { provider: 'razorpay' } })).toBe(0);
    const res = await postRazorpay(body, { eventId: 'evt_rzp_1' });
    expect(res.status).toBe(200);
    expect(res.body.processed).toBe(true);
    expect((await row.reload()).status).toBe('paid');
    expect(row.payment_method).toBe('upi');
    const again = await postRazorpay(body, { eventId: 'evt_rzp_1' });
    expect(again.body.duplicate).toBe(true);
    expect(await transactions(row.id)).toBe(1);
    expect((await recount(event.id)).going_count).toBe(1);
  });

  it('refuses a Razorpay event for an order placed with Stripe', async () => {
    const { row } = await order({ provider: 'stripe' });
    const res = await postRazorpay(razorpayBody('payment.captured', razorpayPayment(row)));
    expect(res.body.error).toMatch(/placed with stripe/);
    expect((await row.reload()).status).toBe('created');
  });

  it('fails the order on payment.failed', async () => {
    const { row } = await order({ provider: 'razorpay' });
    await postRazorpay(razorpayBody('payment.failed', razorpayPayment(row, { status: 'failed', error_description: 'Payment declined by bank' })));
    expect((await row.reload()).status).toBe('failed');
    expect(row.failure_reason).toBe('Payment declined by bank');
  });
});

describe('late payments', () => {
  it('honours a payment after the hold expired when the seats are still free', async () => {
    const { row, event } = await order({ capacity: 3 });
    clock.set(new Date(row.expires_at.getTime() + 5 * MINUTE));
    const res = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row)));
    expect(res.body.processed).toBe(true);
    expect((await row.reload()).status).toBe('paid');
    expect((await recount(event.id)).going_count).toBe(1);
  });

  it('refunds in full when the event filled up meanwhile, tells the buyer, never oversells', async () => {
    const { row, event, buyer } = await order({ capacity: 1 });
    clock.set(new Date(row.expires_at.getTime() + MINUTE));
    await buildAttendee({ event, user: await buildUser() });
    const res = await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(row)));
    expect(res.status).toBe(200);
    expect(res.body.processed).toBe(true);
    await row.reload();
    expect(row.status).toBe('refunded');
    expect(await transactions(row.id, 'payment')).toBe(1);
    const refunds = await PaymentTransaction.findAll({ where: { payment_order_id: row.id, transaction_type: 'refund' } });
    expect(refunds.map((t) => t.amount)).toEqual(['499.00']);
    expect(await EventAttendee.count({ where: { event_id: event.id, user_id: buyer.id } })).toBe(0);
    const r = await recount(event.id);
    expect([r.going_count, r.going, r.max_capacity]).toEqual([1, 1, 1]);
    expect(await Notification.count({ where: { recipient_id: buyer.id, type: 'payment_failed' } })).toBe(1);
  });

  it('never oversells when late payments race accepts for the last seats', async () => {
    const event = (await order({ capacity: 3 })).event;
    const late = [];
    for (let i = 0; i < 5; i++) late.push(await order({ event }));
    // Everyone's holds expire; three other people are given the seats while the money comes in.
    clock.set(new Date(late[0]!.row.expires_at.getTime() + MINUTE));
    const { acceptRequest } = await import('../../src/modules/joining/commands/requests.js');
    const { buildRequest } = await import('../support/factories.js');
    const { createContext } = await import('../../src/context.js');
    const requests = await Promise.all(Array.from({ length: 3 }, async () => buildRequest({ event, requester: await buildUser() })));
    const host = event.host!;
    const actor = { id: host.id, uuid: host.uuid, is_staff: false, is_superuser: false };
    await Promise.allSettled([
      ...late.map((l) => postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(l.row)))),
      ...requests.map((r) => acceptRequest(createContext({ source: 'api', actor }), { requestUuid: r.uuid })),
    ]);
    const r = await recount(event.id);
    expect(r.going_count).toBe(r.going);
    expect(r.going_count + r.held).toBeLessThanOrEqual(3);
    const paidSeated = await count(`SELECT COUNT(*) FROM payment_order WHERE event_id = :e AND status = 'paid'`, { e: event.id });
    const refunded = await count(`SELECT COUNT(*) FROM payment_order WHERE event_id = :e AND status = 'refunded'`, { e: event.id });
    expect(paidSeated + refunded).toBe(5);
    expect(await count(`SELECT COUNT(*) FROM event_attendee WHERE event_id = :e AND is_paid AND status = 'going'`, { e: event.id })).toBe(paidSeated);
    expect(await PaymentOrder.count({ where: { event_id: event.id, status: 'created' } })).toBe(1);
  });
});
