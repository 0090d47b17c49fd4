import crypto from 'node:crypto';
import zlib from 'node:zlib';
import type { OrdersController, PaymentsController } from '@paypal/paypal-server-sdk';
import type { Config } from '../../../config.js';
import { fromMinor } from '../../../lib/money.js';
import {
  WebhookRejected, type OrderForProvider, type PaymentProviderAdapter, type ProviderRefund, type RawDelivery,
  type VerifiedDelivery, type WebhookMeaning,
} from './types.js';
import { decimalMinorOf, jsonObjectOf, objectAt, stringAt, upper } from './read.js';

/*
 * PayPal: orders and refunds through PayPal's official server SDK when PAYPAL_CLIENT_ID and
 * PAYPAL_CLIENT_SECRET are set. Webhooks are verified offline as PayPal specifies: RSA-SHA256 over
 * "<transmission id>|<transmission time>|<PAYPAL_WEBHOOK_ID>|<crc32 of the raw body, decimal>", with the
 * certificate at PAYPAL-CERT-URL (https, a paypal.com host, fetched once and cached, no redirects)
 * or the PEM in PAYPAL_CERT_PEM. Our order travels as custom_id on the purchase unit and the refund.
 */
const CERT_TIMEOUT_MS = 5000;
const certCache = new Map<string, crypto.KeyObject>();

// The SDK is loaded on first use (≈ 0.4 s of CPU at start otherwise, for a provider most servers never call).
const paypalSdk = () => import('@paypal/paypal-server-sdk');

async function sdk(cfg: Config): Promise<{ orders: OrdersController; payments: PaymentsController } | null> {
  if (!cfg.PAYPAL_CLIENT_ID || !cfg.PAYPAL_CLIENT_SECRET) return null;
  const { Client, Environment, OrdersController, PaymentsController } = await paypalSdk();
  const client = new Client({
    clientCredentialsAuthCredentials: { oAuthClientId: cfg.PAYPAL_CLIENT_ID, oAuthClientSecret: cfg.PAYPAL_CLIENT_SECRET },
    environment: cfg.PAYPAL_ENVIRONMENT === 'live' ? Environment.Production : Environment.Sandbox,
    timeout: 10_000,
  });
  return { orders: new OrdersController(client), payments: new PaymentsController(client) };
}

/** The public key of a PEM certificate (or of a bare public key PEM). */
export function paypalKeyOf(pem: string): crypto.KeyObject {
  try {
    return new crypto.X509Certificate(pem).publicKey;
  } catch {
    return crypto.createPublicKey(pem);
  }
}

/** Only https on paypal.com or one of its subdomains: anything else could serve a key of its own. */
export function isPaypalCertUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname.toLowerCase();
  return url.protocol === 'https:' && !url.username && !url.password && (host === 'paypal.com' || host.endsWith('.paypal.com'));
}

async function certificateKey(cfg: Config, certUrl: string | undefined): Promise<crypto.KeyObject> {
  if (cfg.PAYPAL_CERT_PEM) return paypalKeyOf(cfg.PAYPAL_CERT_PEM.replace(/\\n/g, '\n'));
  if (!certUrl || !isPaypalCertUrl(certUrl)) throw new WebhookRejected('PAYPAL-CERT-URL must be an https URL on paypal.com');
  const cached = certCache.get(certUrl);
  if (cached) return cached;
  let pem: string;
  try {
    const res = await fetch(certUrl, { redirect: 'error', signal: AbortSignal.timeout(CERT_TIMEOUT_MS) });
    if (!res.ok) throw new Error(`status ${res.status}`);
    pem = await res.text();
  } catch (err) {
    throw new WebhookRejected(`PayPal certificate could not be fetched: ${(err as Error).message}`);
  }
  let key: crypto.KeyObject;
  try {
    key = paypalKeyOf(pem);
  } catch {
    throw new WebhookRejected('PayPal certificate is not a PEM certificate');
  }
  certCache.set(certUrl, key);
  return key;
}

/** The string PayPal signs for a delivery. */
export function paypalSignedString(transmissionId: string, transmissionTime: string, webhookId: string, rawBody: Buffer | string): string {
  return `${transmissionId}|${transmissionTime}|${webhookId}|${zlib.crc32(rawBody)}`;
}

async function verify(cfg: Config, delivery: RawDelivery): Promise<VerifiedDelivery> {
  const h = delivery.headers;
  const id = h['paypal-transmission-id'];
  const time = h['paypal-transmission-time'];
  const signature = h['paypal-transmission-sig'];
  const algo = h['paypal-auth-algo'];
  if (!id || !time || !signature) throw new WebhookRejected('PAYPAL-TRANSMISSION-ID, -TIME and -SIG headers are required');
  if (algo && algo !== 'SHA256withRSA') throw new WebhookRejected(`PAYPAL-AUTH-ALGO ${algo.slice(0, 40)} is not SHA256withRSA`);
  const key = await certificateKey(cfg, h['paypal-cert-url']);
  const valid = crypto.verify('RSA-SHA256', Buffer.from(paypalSignedString(id, time, cfg.PAYPAL_WEBHOOK_ID!, delivery.rawBody)), key,
    Buffer.from(signature, 'base64'));
  if (!valid) throw new WebhookRejected('PayPal signature does not match the body');
  const body = jsonObjectOf(delivery.rawBody, 'a PayPal event');
  const eventId = stringAt(body, 'id');
  const type = stringAt(body, 'event_type');
  if (!eventId || !type || eventId.length > 255) throw new WebhookRejected('Body is not a PayPal event');
  return { eventId, type, payload: body, signature };
}

/**
 * A dispute resolved in the buyer's favour: the money is taken from the merchant. Other outcomes
 * (won, paid by PayPal, cancelled) take nothing; a claim the merchant accepts refunds through
 * PAYMENT.CAPTURE.REFUNDED, counted as a refund. The dispute names the capture, not our order.
 */
function disputeLost(resource: Record<string, unknown>): WebhookMeaning {
  if (stringAt(resource, 'dispute_outcome', 'outcome_code') !== 'RESOLVED_BUYER_FAVOUR') {
    return { kind: 'ignored', orderId: null, amountMinor: null, currency: null };
  }
  const disputed = Array.isArray(resource.disputed_transactions) ? objectAt(resource.disputed_transactions, '0') : {};
  const taken = objectAt(resource, 'dispute_outcome', 'amount_refunded');
  const amount = Object.keys(taken).length ? taken : objectAt(resource, 'dispute_amount');
  return {
    kind: 'chargeback', orderId: stringAt(disputed, 'custom'), amountMinor: decimalMinorOf(amount.value),
    currency: upper(stringAt(amount, 'currency_code')), providerPaymentId: stringAt(disputed, 'seller_transaction_id'),
    dispute: { id: stringAt(resource, 'dispute_id'), reason: stringAt(resource, 'reason') },
  };
}

function interpret({ type, payload }: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning {
  const resource = objectAt(payload, 'resource');
  if (type === 'CUSTOMER.DISPUTE.RESOLVED') return disputeLost(resource);
  const orderId = stringAt(resource, 'custom_id');
  const amountMinor = decimalMinorOf(objectAt(resource, 'amount').value);
  const currency = upper(stringAt(resource, 'amount', 'currency_code'));
  const id = stringAt(resource, 'id');
  switch (type) {
    case 'PAYMENT.CAPTURE.COMPLETED':
      return { kind: 'paid', orderId, amountMinor, currency, providerPaymentId: id, paymentMethod: 'paypal' };
    case 'PAYMENT.CAPTURE.DENIED':
      return {
        kind: 'failed', orderId, amountMinor, currency, providerPaymentId: id,
        failureReason: stringAt(resource, 'status_details', 'reason') ?? 'capture denied',
      };
    case 'PAYMENT.CAPTURE.REFUNDED': {
      // The resource is the refund: its own id and amount.
      const links = Array.isArray(resource.links) ? (resource.links as unknown[]) : [];
      const capture = links.map((l) => (l ?? {}) as Record<string, unknown>).find((l) => l.rel === 'up');
      const captureId = typeof capture?.href === 'string' ? capture.href.split('/').pop() ?? null : null;
      return {
        kind: 'refunded', orderId, amountMinor: null, currency, providerPaymentId: captureId,
        refunds: id && amountMinor !== null ? [{ id, amountMinor }] : [],
      };
    }
    default:
      return { kind: 'ignored', orderId, amountMinor: null, currency: null };
  }
}

async function createClient(cfg: Config, order: OrderForProvider) {
  const api = await sdk(cfg);
  if (!api) return null;
  const { CheckoutPaymentIntent } = await paypalSdk();
  const { result } = await api.orders.createOrder({
    paypalRequestId: `order-${order.order_id}`,
    body: {
      intent: CheckoutPaymentIntent.Capture,
      purchaseUnits: [{
        referenceId: order.order_reference, customId: order.order_id, description: order.description.slice(0, 127),
        amount: { currencyCode: order.currency, value: fromMinor(order.amountMinor) },
      }],
    },
  });
  const approve = result.links?.find((l) => l.rel === 'approve' || l.rel === 'payer-action')?.href ?? null;
  return { client: { paypal_order_id: result.id, approve_url: approve }, remember: { paypal_order_id: result.id } };
}

async function refund(cfg: Config, input: Parameters<NonNullable<PaymentProviderAdapter['refund']>>[1]): Promise<ProviderRefund | null> {
  const api = await sdk(cfg);
  if (!api) return null;
  const captureId = input.order.provider_payment_id;
  if (!captureId) throw new Error('the order has no PayPal capture to refund');
  const { result } = await api.payments.refundCapturedPayment({
    captureId, paypalRequestId: input.idempotencyKey,
    body: {
      amount: { currencyCode: input.order.currency, value: fromMinor(input.amountMinor) },
      customId: input.order.order_id, noteToPayer: input.reason.slice(0, 255),
    },
  });
  return { id: result.id ?? input.idempotencyKey, settled: result.status === 'COMPLETED', response: { id: result.id, status: result.status } };
}

export const paypal: PaymentProviderAdapter = {
  name: 'paypal',
  methods: ['paypal', 'card'],
  defaultMethod: 'paypal',
  offline: false,
  enabled: (cfg) => !!cfg.PAYPAL_WEBHOOK_ID,
  createClient,
  webhook: { configured: (cfg) => !!cfg.PAYPAL_WEBHOOK_ID, verify, interpret, signatureHeader: 'PAYPAL-TRANSMISSION-SIG' },
  refund,
};
