import type Stripe from 'stripe';
import type { Config } from '../../../config.js';
import {
  WebhookRejected, type OrderForProvider, type PaymentProviderAdapter, type ProviderRefund, type RawDelivery,
  type VerifiedDelivery, type WebhookMeaning,
} from './types.js';
import { minorOf, objectAt, stringAt, upper } from './read.js';

/*
 * Stripe: PaymentIntents through the official `stripe` package when STRIPE_SECRET_KEY is set;
 * webhooks verified with Stripe's own scheme (Stripe-Signature, HMAC over "<t>.<raw body>",
 * 5-minute tolerance measured against the app clock). The order travels as metadata.order_id.
 */
const TOLERANCE_SECONDS = 300;

// The package is loaded on first use (a delivery or a payment), not at start (≈ 0.12 s of CPU).
let sdk: typeof Stripe | undefined;
const load = async (): Promise<typeof Stripe> => (sdk ??= (await import('stripe')).default);

let client: { key: string; api: Stripe } | undefined;
async function api(cfg: Config): Promise<Stripe | null> {
  if (!cfg.STRIPE_SECRET_KEY) return null;
  const StripeSdk = await load();
  if (client?.key !== cfg.STRIPE_SECRET_KEY) client = { key: cfg.STRIPE_SECRET_KEY, api: new StripeSdk(cfg.STRIPE_SECRET_KEY) };
  return client.api;
}

async function verify(cfg: Config, delivery: RawDelivery): Promise<VerifiedDelivery> {
  const signature = delivery.headers['stripe-signature'];
  if (!signature) throw new WebhookRejected('Stripe-Signature header is missing');
  const StripeSdk = await load();
  let event: Stripe.Event;
  try {
    event = StripeSdk.webhooks.constructEvent(
      delivery.rawBody, signature, cfg.STRIPE_WEBHOOK_SECRET!, TOLERANCE_SECONDS, undefined, delivery.receivedAt.getTime(),
    );
  } catch (err) {
    throw new WebhookRejected(`Stripe signature refused: ${(err as Error).message}`);
  }
  if (typeof event?.id !== 'string' || typeof event.type !== 'string') throw new WebhookRejected('Not a Stripe event');
  return { eventId: event.id, type: event.type, payload: event as unknown as Record<string, unknown>, signature };
}

function interpret({ type, payload }: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning {
  const obj = objectAt(payload, 'data', 'object');
  const orderId = stringAt(obj, 'metadata', 'order_id');
  const currency = upper(stringAt(obj, 'currency'));
  const base = { orderId, currency };
  switch (type) {
    case 'payment_intent.succeeded':
      return {
        ...base, kind: 'paid', amountMinor: minorOf(obj.amount_received) ?? minorOf(obj.amount),
        providerPaymentId: stringAt(obj, 'id'), paymentMethod: stringAt(obj, 'payment_method_types', '0') ?? 'card',
      };
    case 'checkout.session.completed':
      // Delayed methods complete the session unpaid; their money is confirmed by a later event.
      if (obj.payment_status !== 'paid') return { ...base, kind: 'ignored', amountMinor: null };
      return {
        ...base, kind: 'paid', amountMinor: minorOf(obj.amount_total),
        providerPaymentId: stringAt(obj, 'payment_intent') ?? stringAt(obj, 'id'), paymentMethod: stringAt(obj, 'payment_method_types', '0') ?? 'card',
      };
    case 'payment_intent.payment_failed':
      return {
        ...base, kind: 'failed', amountMinor: minorOf(obj.amount), providerPaymentId: stringAt(obj, 'id'),
        failureReason: stringAt(obj, 'last_payment_error', 'message') ?? stringAt(obj, 'last_payment_error', 'code') ?? 'payment failed',
      };
    case 'charge.refunded': {
      const listed = Array.isArray(objectAt(obj, 'refunds').data) ? (objectAt(obj, 'refunds').data as unknown[]) : [];
      const refunds = listed.flatMap((r) => {
        const rec = (r ?? {}) as Record<string, unknown>;
        const id = stringAt(rec, 'id');
        const amountMinor = minorOf(rec.amount);
        return id && amountMinor !== null && (rec.status === undefined || rec.status === 'succeeded') ? [{ id, amountMinor }] : [];
      });
      return {
        ...base, kind: 'refunded', amountMinor: minorOf(obj.amount), providerPaymentId: stringAt(obj, 'payment_intent'),
        refunds, refundedTotalMinor: minorOf(obj.amount_refunded) ?? undefined,
      };
    }
    case 'charge.dispute.closed':
      // Lost = the money is gone for good (funds_withdrawn is reinstated when a dispute is won):
      // docs/decisions/0800-host-money-ledger.md, "Chargebacks".
      if (obj.status !== 'lost') return { ...base, kind: 'ignored', amountMinor: null };
      return {
        ...base, kind: 'chargeback', amountMinor: minorOf(obj.amount), providerPaymentId: stringAt(obj, 'payment_intent'),
        dispute: { id: stringAt(obj, 'id'), reason: stringAt(obj, 'reason') },
      };
    default:
      return { ...base, kind: 'ignored', amountMinor: null };
  }
}

async function createClient(cfg: Config, order: OrderForProvider) {
  const stripe = await api(cfg);
  if (!stripe) return null;
  const intent = await stripe.paymentIntents.create({
    amount: order.amountMinor, currency: order.currency.toLowerCase(), description: order.description,
    metadata: { order_id: order.order_id, order_reference: order.order_reference },
    automatic_payment_methods: { enabled: true },
  }, { idempotencyKey: `order-${order.order_id}` });
  return {
    client: { client_secret: intent.client_secret, payment_intent_id: intent.id },
    remember: { stripe_payment_intent: intent.id },
    providerPaymentId: intent.id,
  };
}

async function refund(cfg: Config, input: Parameters<NonNullable<PaymentProviderAdapter['refund']>>[1]): Promise<ProviderRefund | null> {
  const stripe = await api(cfg);
  if (!stripe) return null;
  const paymentIntent = input.order.provider_payment_id;
  if (!paymentIntent) throw new Error('the order has no Stripe payment to refund');
  const r = await stripe.refunds.create({
    payment_intent: paymentIntent, amount: input.amountMinor,
    metadata: { order_id: input.order.order_id, reason: input.reason.slice(0, 400) },
  }, { idempotencyKey: input.idempotencyKey });
  return { id: r.id, settled: r.status === 'succeeded', response: { id: r.id, status: r.status, amount: r.amount } };
}

export const stripe: PaymentProviderAdapter = {
  name: 'stripe',
  methods: ['card', 'wallet'],
  defaultMethod: 'card',
  offline: false,
  // Money is confirmed only by its webhook: without the signing secret no order could ever be paid.
  enabled: (cfg) => !!cfg.STRIPE_WEBHOOK_SECRET,
  createClient,
  webhook: { configured: (cfg) => !!cfg.STRIPE_WEBHOOK_SECRET, verify, interpret, signatureHeader: 'Stripe-Signature' },
  refund,
};
