import crypto from 'node:crypto';
import type { Config } from '../../../config.js';
import { safeEqual, sha256 } from '../../../lib/crypto.js';
import { WebhookRejected, type OrderForProvider, type PaymentProviderAdapter, type RawDelivery, type VerifiedDelivery, type WebhookMeaning } from './types.js';
import { jsonObjectOf, minorOf, objectAt, stringAt } from './read.js';

/*
 * PhonePe (PG v1, salt-key scheme): a callback is `{"response": "<base64 JSON>"}` with
 * X-VERIFY = sha256hex(response + PHONEPE_SALT_KEY) + "###" + PHONEPE_SALT_INDEX. The decoded
 * data names our order as merchantTransactionId and the amount in paise. PhonePe publishes no
 * Node package for this API; the pay request needs no call from us (the app's PhonePe SDK posts
 * the signed request we build), and refunds are recorded for staff to execute in PhonePe's console.
 */
const PAY_PATH = '/pg/v1/pay';

export function phonepeVerifyHeader(payload: string, saltKey: string, saltIndex: string): string {
  return `${sha256(payload + saltKey)}###${saltIndex}`;
}

function verify(cfg: Config, delivery: RawDelivery): VerifiedDelivery {
  const signature = delivery.headers['x-verify']?.trim();
  if (!signature) throw new WebhookRejected('X-VERIFY header is missing');
  const body = jsonObjectOf(delivery.rawBody, 'a PhonePe callback');
  const response = typeof body.response === 'string' ? body.response : null;
  if (!response) throw new WebhookRejected('Body has no PhonePe response');
  if (!safeEqual(signature.toLowerCase(), phonepeVerifyHeader(response, cfg.PHONEPE_SALT_KEY!, cfg.PHONEPE_SALT_INDEX!).toLowerCase())) {
    throw new WebhookRejected('PhonePe X-VERIFY does not match the response');
  }
  const decoded = jsonObjectOf(Buffer.from(response, 'base64'), 'a PhonePe response');
  const code = stringAt(decoded, 'code');
  const transactionId = stringAt(decoded, 'data', 'transactionId');
  if (!code || !transactionId || transactionId.length > 200) throw new WebhookRejected('PhonePe response has no code or transactionId');
  // API.md: the event id is transactionId + code (a payment's success and a later error are two events).
  return { eventId: `${transactionId}:${code}`, type: code, payload: decoded, signature };
}

function interpret({ type, payload }: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning {
  const data = objectAt(payload, 'data');
  const amountMinor = minorOf(data.amount);
  const transactionId = stringAt(data, 'transactionId');
  // A refund's callback names the refunded payment's merchantTransactionId as originalMerchantTransactionId.
  const refundOf = stringAt(data, 'originalMerchantTransactionId');
  const orderId = refundOf ?? stringAt(data, 'merchantTransactionId');
  const method = stringAt(data, 'paymentInstrument', 'type');
  const base = { orderId, currency: 'INR', providerPaymentId: transactionId };
  if (refundOf) {
    if (type !== 'PAYMENT_SUCCESS' || !transactionId || amountMinor === null) return { ...base, kind: 'ignored', amountMinor: null };
    return { ...base, kind: 'refunded', amountMinor, providerPaymentId: null, refunds: [{ id: transactionId, amountMinor }] };
  }
  switch (type) {
    case 'PAYMENT_SUCCESS':
      return { ...base, kind: 'paid', amountMinor, paymentMethod: method ? method.toLowerCase() : 'upi' };
    case 'PAYMENT_ERROR':
    case 'PAYMENT_DECLINED':
      return { ...base, kind: 'failed', amountMinor, failureReason: stringAt(payload, 'message') ?? type.toLowerCase() };
    default:
      return { ...base, kind: 'ignored', amountMinor: null };
  }
}

/** The signed pay request the app hands to PhonePe's SDK (no network call from here). */
async function createClient(cfg: Config, order: OrderForProvider) {
  if (!cfg.PHONEPE_MERCHANT_ID || !cfg.PHONEPE_SALT_KEY || !cfg.PHONEPE_SALT_INDEX) return null;
  const request = Buffer.from(JSON.stringify({
    merchantId: cfg.PHONEPE_MERCHANT_ID, merchantTransactionId: order.order_id, amount: order.amountMinor,
    merchantUserId: `u_${crypto.createHash('sha256').update(order.order_id).digest('hex').slice(0, 20)}`,
    paymentInstrument: { type: 'PAY_PAGE' },
  })).toString('base64');
  return {
    client: {
      merchant_id: cfg.PHONEPE_MERCHANT_ID, merchant_transaction_id: order.order_id, request,
      checksum: phonepeVerifyHeader(request + PAY_PATH, cfg.PHONEPE_SALT_KEY, cfg.PHONEPE_SALT_INDEX), api_path: PAY_PATH,
    },
  };
}

export const phonepe: PaymentProviderAdapter = {
  name: 'phonepe',
  methods: ['upi', 'card', 'netbanking', 'wallet'],
  defaultMethod: 'upi',
  offline: false,
  enabled: (cfg) => !!cfg.PHONEPE_SALT_KEY && !!cfg.PHONEPE_SALT_INDEX,
  createClient,
  webhook: { configured: (cfg) => !!cfg.PHONEPE_SALT_KEY && !!cfg.PHONEPE_SALT_INDEX, verify, interpret, signatureHeader: 'X-VERIFY' },
};
