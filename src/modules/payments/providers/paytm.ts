import crypto from 'node:crypto';
import PaytmChecksum from 'paytmchecksum';
import type { Config } from '../../../config.js';
import { fromMinor } from '../../../lib/money.js';
import { WebhookRejected, type OrderForProvider, type PaymentProviderAdapter, type RawDelivery, type VerifiedDelivery, type WebhookMeaning } from './types.js';
import { decimalMinorOf, jsonObjectOf, stringAt, upper } from './read.js';

/*
 * Paytm: the callback/webhook posts flat fields (form-encoded or JSON) — ORDERID (our order_id),
 * TXNID, TXNAMOUNT (rupees), STATUS — with CHECKSUMHASH computed by Paytm's checksum scheme over
 * the other fields with PAYTM_MERCHANT_KEY, verified through the maintained `paytmchecksum`
 * package. The pay request is a signed form the app posts to Paytm's hosted page (no call from us);
 * Paytm has no maintained Node package for refunds, so refunds are recorded for staff to execute.
 */
const PROCESS_URL = 'https://securegw.paytm.in/theia/processTransaction';

/** The fields of a delivery as strings, whichever encoding the body used. */
function fieldsOf(delivery: RawDelivery): Record<string, string> {
  const type = (delivery.headers['content-type'] ?? '').toLowerCase();
  const raw = delivery.rawBody.toString('utf8');
  const source: Record<string, unknown> = type.includes('application/x-www-form-urlencoded')
    ? Object.fromEntries(new URLSearchParams(raw))
    : jsonObjectOf(delivery.rawBody, 'Paytm fields (form or JSON)');
  const fields: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'string') fields[k] = v;
    else if (typeof v === 'number' && Number.isFinite(v)) fields[k] = String(v);
    else throw new WebhookRejected(`Paytm field ${k.slice(0, 40)} is not text`);
  }
  return fields;
}

function decrypts(checksum: string, key: string): boolean {
  try {
    const decipher = crypto.createDecipheriv('aes-128-cbc', key, PaytmChecksum.iv);
    decipher.update(checksum, 'base64');
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

function verify(cfg: Config, delivery: RawDelivery): VerifiedDelivery {
  const fields = fieldsOf(delivery);
  const checksum = fields.CHECKSUMHASH;
  if (!checksum) throw new WebhookRejected('CHECKSUMHASH is missing');
  const { CHECKSUMHASH: _omit, ...signed } = fields;
  // The package prints a stack to stdout for every checksum that does not decrypt; refuse those first
  // (same cipher, same IV) so forged deliveries cannot flood the logs.
  let valid = decrypts(checksum, cfg.PAYTM_MERCHANT_KEY!);
  try {
    valid &&= PaytmChecksum.verifySignature(signed, cfg.PAYTM_MERCHANT_KEY!, checksum) === true;
  } catch {
    valid = false;
  }
  if (!valid) throw new WebhookRejected('Paytm checksum does not match the fields');
  const status = fields.STATUS;
  const txn = fields.REFUNDID ?? fields.REFID ?? fields.TXNID;
  if (!status || !txn || txn.length > 200) throw new WebhookRejected('Paytm fields lack TXNID or STATUS');
  // API.md: the event id is TXNID + STATUS; a refund notice is keyed by its own refund id.
  const eventId = fields.REFUNDAMOUNT !== undefined ? `refund:${txn}:${status}` : `${txn}:${status}`;
  return { eventId, type: fields.REFUNDAMOUNT !== undefined ? `REFUND_${status}` : status, payload: signed, signature: checksum };
}

function interpret({ type, payload }: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning {
  const orderId = stringAt(payload, 'ORDERID');
  const currency = upper(stringAt(payload, 'CURRENCY')) ?? 'INR';
  const txnId = stringAt(payload, 'TXNID');
  switch (type) {
    case 'TXN_SUCCESS':
      return {
        kind: 'paid', orderId, currency, amountMinor: decimalMinorOf(payload.TXNAMOUNT), providerPaymentId: txnId,
        paymentMethod: (stringAt(payload, 'PAYMENTMODE') ?? 'wallet').toLowerCase(),
      };
    case 'TXN_FAILURE':
      return {
        kind: 'failed', orderId, currency, amountMinor: decimalMinorOf(payload.TXNAMOUNT), providerPaymentId: txnId,
        failureReason: stringAt(payload, 'RESPMSG') ?? 'payment failed',
      };
    case 'REFUND_TXN_SUCCESS': {
      const id = stringAt(payload, 'REFUNDID') ?? stringAt(payload, 'REFID');
      const amountMinor = decimalMinorOf(payload.REFUNDAMOUNT);
      return {
        kind: 'refunded', orderId, currency, amountMinor: decimalMinorOf(payload.TXNAMOUNT), providerPaymentId: txnId,
        refunds: id && amountMinor !== null ? [{ id, amountMinor }] : [],
      };
    }
    default:
      return { kind: 'ignored', orderId, currency, amountMinor: null };
  }
}

/** The signed form for Paytm's hosted payment page. */
async function createClient(cfg: Config, order: OrderForProvider) {
  if (!cfg.PAYTM_MID || !cfg.PAYTM_MERCHANT_KEY) return null;
  const fields: Record<string, string> = {
    MID: cfg.PAYTM_MID, ORDER_ID: order.order_id, TXN_AMOUNT: fromMinor(order.amountMinor), CUST_ID: order.order_reference,
    CHANNEL_ID: 'WEB', WEBSITE: 'DEFAULT', INDUSTRY_TYPE_ID: 'Retail',
  };
  const checksum = await PaytmChecksum.generateSignature(fields, cfg.PAYTM_MERCHANT_KEY);
  return { client: { action: PROCESS_URL, method: 'POST', fields: { ...fields, CHECKSUMHASH: checksum } } };
}

export const paytm: PaymentProviderAdapter = {
  name: 'paytm',
  methods: ['wallet', 'upi', 'card', 'netbanking'],
  defaultMethod: 'wallet',
  offline: false,
  enabled: (cfg) => !!cfg.PAYTM_MERCHANT_KEY,
  createClient,
  webhook: { configured: (cfg) => !!cfg.PAYTM_MERCHANT_KEY, verify, interpret, signatureHeader: 'CHECKSUMHASH (body field)' },
};
