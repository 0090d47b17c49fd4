import crypto from 'node:crypto';
import type Razorpay from 'razorpay';
import type { Config } from '../../../config.js';
import { fromMinor } from '../../../lib/money.js';
import {
  WebhookRejected, type OrderForProvider, type PaymentProviderAdapter, type ProviderRefund, type RawDelivery,
  type VerifiedDelivery, type WebhookMeaning,
} from './types.js';
import { minorOf, objectAt, stringAt, upper } from './read.js';

/*
 * Razorpay: Orders and refunds through the official `razorpay` package when RAZORPAY_KEY_ID and
 * RAZORPAY_KEY_SECRET are set; webhooks signed with X-Razorpay-Signature = hex HMAC-SHA256 of the
 * raw body with RAZORPAY_WEBHOOK_SECRET, the event id in X-Razorpay-Event-Id. Razorpay signs no
 * timestamp and retries a failed delivery with the same body for hours, so there is no staleness
 * window here: a replay is harmless because the event id is unique (PAYMENT_WEBHOOK).
 * The order travels as notes.order_id on the payment (the app passes `client.notes` to Checkout).
 */
let client: { key: string; api: Razorpay } | undefined;
/** The SDK is loaded on first use: it costs ≈ 0.1 s of CPU at start for servers that never call it. */
async function api(cfg: Config): Promise<Razorpay | null> {
  if (!cfg.RAZORPAY_KEY_ID || !cfg.RAZORPAY_KEY_SECRET) return null;
  const key = `${cfg.RAZORPAY_KEY_ID}:${cfg.RAZORPAY_KEY_SECRET}`;
  const { default: Razorpay } = await import('razorpay');
  if (client?.key !== key) client = { key, api: new Razorpay({ key_id: cfg.RAZORPAY_KEY_ID, key_secret: cfg.RAZORPAY_KEY_SECRET }) };
  return client.api;
}

/** The hex HMAC-SHA256 Razorpay puts in X-Razorpay-Signature. */
export function razorpaySignature(rawBody: Buffer | string, secret: string): string {
  return crypto.createHmac('sha256', secret).update(rawBody).digest('hex');
}

function verify(cfg: Config, delivery: RawDelivery): VerifiedDelivery {
  const signature = delivery.headers['x-razorpay-signature'];
  if (!signature) throw new WebhookRejected('X-Razorpay-Signature header is missing');
  const expected = Buffer.from(razorpaySignature(delivery.rawBody, cfg.RAZORPAY_WEBHOOK_SECRET!), 'utf8');
  const given = Buffer.from(signature.trim().toLowerCase(), 'utf8');
  if (expected.length !== given.length || !crypto.timingSafeEqual(expected, given)) {
    throw new WebhookRejected('Razorpay signature does not match the body');
  }
  const eventId = delivery.headers['x-razorpay-event-id']?.trim();
  if (!eventId || eventId.length > 255) throw new WebhookRejected('X-Razorpay-Event-Id header is missing');
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.rawBody.toString('utf8'));
  } catch {
    throw new WebhookRejected('Body is not JSON');
  }
  if (!payload || typeof payload !== 'object' || Array.isArray(payload)) throw new WebhookRejected('Body is not a Razorpay event');
  const type = stringAt(payload, 'event');
  if (!type) throw new WebhookRejected('Body is not a Razorpay event');
  return { eventId, type, payload: payload as Record<string, unknown>, signature };
}

function interpret({ type, payload }: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning {
  const payment = objectAt(payload, 'payload', 'payment', 'entity');
  const refundEntity = objectAt(payload, 'payload', 'refund', 'entity');
  const orderId = stringAt(payment, 'notes', 'order_id') ?? stringAt(refundEntity, 'notes', 'order_id');
  const paid = (): WebhookMeaning => ({
    kind: 'paid', orderId, amountMinor: minorOf(payment.amount), currency: upper(stringAt(payment, 'currency')),
    providerPaymentId: stringAt(payment, 'id'), paymentMethod: stringAt(payment, 'method'),
  });
  switch (type) {
    case 'payment.captured':
    case 'order.paid':
      return paid();
    case 'payment.failed':
      return {
        kind: 'failed', orderId, amountMinor: minorOf(payment.amount), currency: upper(stringAt(payment, 'currency')),
        providerPaymentId: stringAt(payment, 'id'),
        failureReason: stringAt(payment, 'error_description') ?? stringAt(payment, 'error_code') ?? 'payment failed',
      };
    case 'refund.processed': {
      const id = stringAt(refundEntity, 'id');
      const amountMinor = minorOf(refundEntity.amount);
      return {
        kind: 'refunded', orderId, amountMinor: minorOf(payment.amount),
        currency: upper(stringAt(refundEntity, 'currency') ?? stringAt(payment, 'currency')),
        providerPaymentId: stringAt(refundEntity, 'payment_id') ?? stringAt(payment, 'id'),
        refunds: id && amountMinor !== null ? [{ id, amountMinor }] : [],
      };
    }
    case 'payment.dispute.lost': {
      // The final word: the amount Razorpay deducted stays deducted (docs/decisions/0800-host-money-ledger.md).
      const dispute = objectAt(payload, 'payload', 'dispute', 'entity');
      const deducted = minorOf(dispute.amount_deducted);
      return {
        kind: 'chargeback', orderId, amountMinor: deducted || minorOf(dispute.amount),
        currency: upper(stringAt(dispute, 'currency') ?? stringAt(payment, 'currency')),
        providerPaymentId: stringAt(dispute, 'payment_id') ?? stringAt(payment, 'id'),
        dispute: { id: stringAt(dispute, 'id'), reason: stringAt(dispute, 'reason_code') },
      };
    }
    default:
      return { kind: 'ignored', orderId, amountMinor: null, currency: null };
  }
}

async function createClient(cfg: Config, order: OrderForProvider) {
  const rzp = await api(cfg);
  if (!rzp) return null;
  const created = await rzp.orders.create({
    amount: order.amountMinor, currency: order.currency, receipt: order.order_reference.slice(0, 40),
    notes: { order_id: order.order_id },
  });
  return {
    client: {
      key_id: cfg.RAZORPAY_KEY_ID, order_id: created.id, amount: fromMinor(order.amountMinor), currency: order.currency,
      notes: { order_id: order.order_id },
    },
    remember: { razorpay_order_id: created.id },
  };
}

async function refund(cfg: Config, input: Parameters<NonNullable<PaymentProviderAdapter['refund']>>[1]): Promise<ProviderRefund | null> {
  const rzp = await api(cfg);
  if (!rzp) return null;
  const paymentId = input.order.provider_payment_id;
  if (!paymentId) throw new Error('the order has no Razorpay payment to refund');
  const r = await rzp.payments.refund(paymentId, {
    amount: input.amountMinor, receipt: input.idempotencyKey.slice(0, 40),
    notes: { order_id: input.order.order_id, reason: input.reason.slice(0, 250) },
  });
  return { id: r.id, settled: r.status === 'processed', response: { id: r.id, status: r.status, amount: r.amount } };
}

export const razorpay: PaymentProviderAdapter = {
  name: 'razorpay',
  methods: ['card', 'upi', 'netbanking', 'wallet'],
  defaultMethod: 'card',
  offline: false,
  enabled: (cfg) => !!cfg.RAZORPAY_WEBHOOK_SECRET,
  createClient,
  webhook: { configured: (cfg) => !!cfg.RAZORPAY_WEBHOOK_SECRET, verify, interpret, signatureHeader: 'X-Razorpay-Signature' },
  refund,
};
