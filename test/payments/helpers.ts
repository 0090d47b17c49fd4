import crypto from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, beforeAll } from 'vitest';
import { config, setConfig, type Config } from '../../src/config.js';
import { clock } from '../../src/lib/clock.js';
import { AuthUser, CapacityReservation, PaymentOrder, type Event } from '../../src/models/index.js';
import { buildPaidEvent, buildReservation, buildUser } from '../support/factories.js';
import { bearer } from '../support/app.js';
import { closeServer, http_ } from '../joining/helpers.js';

export const STRIPE_SECRET = 'whsec_test_payments_secret';
export const RAZORPAY_SECRET = 'rzp_test_webhook_secret';

/** Webhook secrets on (and no provider API credentials: client null, refunds for staff) for the file. */
export function withPaymentConfig(extra: Partial<Config> = {}): void {
  let previous: Config;
  beforeAll(() => {
    previous = config();
    setConfig({
      ...previous, STRIPE_WEBHOOK_SECRET: STRIPE_SECRET, RAZORPAY_WEBHOOK_SECRET: RAZORPAY_SECRET,
      STRIPE_SECRET_KEY: undefined, RAZORPAY_KEY_ID: undefined, RAZORPAY_KEY_SECRET: undefined, ...extra,
    });
  });
  afterAll(async () => {
    setConfig(previous);
    await closeServer();
  });
}

export const agent = http_;

/** A buyer holding `seats` live seats at a paid event (capacity `capacity`, price 499.00). */
export async function heldSeats(o: { event?: Event; seats?: number; capacity?: number; user?: AuthUser } = {}) {
  const event = o.event ?? (await buildPaidEvent({ max_capacity: o.capacity ?? 10 }));
  const buyer = o.user ?? (await buildUser());
  const hold = await buildReservation({ event, user: buyer, seats_reserved: o.seats ?? 1 });
  return { event, buyer, hold };
}

/** Places an order through the API and returns the JSON body (and the row). */
export async function order(o: { provider?: string; seats?: number; capacity?: number; event?: Event; user?: AuthUser } = {}) {
  const { event, buyer, hold } = await heldSeats(o);
  const res = await (await agent()).post('/api/payments/orders').set('Authorization', await bearer(buyer))
    .send({ event: event.uuid, reservation_key: hold.reservation_key, provider: o.provider ?? 'stripe' });
  if (res.status !== 201) throw new Error(`order: ${res.status} ${JSON.stringify(res.body)}`);
  const row = (await PaymentOrder.findOne({ where: { uuid: res.body.uuid } }))!;
  return { event, buyer, hold, body: res.body, row };
}

export function stripeEvent(type: string, object: Record<string, unknown>, id = `evt_${crypto.randomBytes(8).toString('hex')}`) {
  return JSON.stringify({ id, object: 'event', type, api_version: '2024-06-20', created: Math.floor(clock.now().getTime() / 1000), data: { object } });
}

/** A Stripe-Signature header made with Stripe's own helper. */
export function stripeSignature(payload: string, o: { secret?: string; at?: Date } = {}) {
  return Stripe.webhooks.generateTestHeaderString({
    payload, secret: o.secret ?? STRIPE_SECRET, timestamp: Math.floor((o.at ?? clock.now()).getTime() / 1000),
  });
}

export function paymentIntent(row: PaymentOrder, over: Record<string, unknown> = {}) {
  const amount = Math.round(Number(row.amount) * 100);
  return {
    id: `pi_${row.order_id.slice(4, 20)}`, object: 'payment_intent', amount, amount_received: amount, currency: row.currency.toLowerCase(),
    metadata: { order_id: row.order_id }, payment_method_types: ['card'], status: 'succeeded', ...over,
  };
}

export async function postStripe(payload: string, signature: string | null = stripeSignature(payload)) {
  const req = (await agent()).post('/api/payments/webhooks/stripe').set('Content-Type', 'application/json');
  if (signature !== null) req.set('Stripe-Signature', signature);
  return req.send(payload);
}

export function razorpayBody(event: string, payment: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    entity: 'event', account_id: 'acc_test', event, contains: ['payment'], created_at: Math.floor(clock.now().getTime() / 1000),
    payload: { payment: { entity: payment }, ...extra },
  });
}

export function razorpayPayment(row: PaymentOrder, over: Record<string, unknown> = {}) {
  return {
    id: `pay_${row.order_id.slice(4, 18)}`, entity: 'payment', amount: Math.round(Number(row.amount) * 100), currency: row.currency,
    status: 'captured', method: 'upi', notes: { order_id: row.order_id }, ...over,
  };
}

export const razorpaySign = (body: string, secret = RAZORPAY_SECRET) => crypto.createHmac('sha256', secret).update(body).digest('hex');

export async function postRazorpay(body: string, o: { signature?: string | null; eventId?: string } = {}) {
  const req = (await agent()).post('/api/payments/webhooks/razorpay').set('Content-Type', 'application/json')
    .set('X-Razorpay-Event-Id', o.eventId ?? `evt_${crypto.randomBytes(8).toString('hex')}`);
  const signature = o.signature === undefined ? razorpaySign(body) : o.signature;
  if (signature !== null) req.set('X-Razorpay-Signature', signature);
  return req.send(body);
}

export const liveHold = async (id: number) => {
  const h = (await CapacityReservation.findByPk(id))!;
  return !h.consumed && !h.released_at && h.expires_at > clock.now();
};
