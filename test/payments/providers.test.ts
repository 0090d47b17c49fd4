import crypto from 'node:crypto';
import PaytmChecksum from 'paytmchecksum';
import { generate as selfSignedCertificate } from 'selfsigned';
import { beforeAll, describe, expect, it } from 'vitest';
import { config, setConfig } from '../../src/config.js';
import { isPaypalCertUrl, paypalSignedString } from '../../src/modules/payments/providers/paypal.js';
import { phonepeVerifyHeader } from '../../src/modules/payments/providers/phonepe.js';
import { AttendanceRecord, EventAttendee, LedgerEntry, PaymentOrder, PaymentTransaction, PaymentWebhook, TicketSecret } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { recount } from '../joining/helpers.js';
import { agent, heldSeats, liveHold, order, postRazorpay, razorpayBody, razorpayPayment, withPaymentConfig } from './helpers.js';

/*
 * PayPal, Paytm, PhonePe and Google Pay end to end: every delivery is signed here with the
 * provider's own scheme (a self-signed certificate for PayPal, test keys for the others).
 */
const PAYPAL_WEBHOOK_ID = 'WH-TEST-4LOOPIN';
const PAYTM_KEY = 'kbzk1DSbJiV_O3p5'; // Paytm merchant keys are 16 characters (AES-128)
const PHONEPE_SALT = '099eb0cd-02cf-4e2a-8aca-3e6c6aff0399';
const PHONEPE_INDEX = '1';

let paypalKey: crypto.KeyObject;
let paypalCert: string;
let otherKey: crypto.KeyObject;

beforeAll(async () => {
  const made = await selfSignedCertificate([{ name: 'commonName', value: 'messageverificationcerts.paypal.com' }], { keySize: 2048, algorithm: 'sha256' });
  paypalCert = made.cert;
  paypalKey = crypto.createPrivateKey(made.private);
  otherKey = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
});

withPaymentConfig({
  PAYTM_MERCHANT_KEY: PAYTM_KEY, PHONEPE_SALT_KEY: PHONEPE_SALT, PHONEPE_SALT_INDEX: PHONEPE_INDEX,
});
// The certificate exists only once beforeAll ran: set PayPal's config then.
beforeAll(() => setConfig({ ...config(), PAYPAL_WEBHOOK_ID, PAYPAL_CERT_PEM: paypalCert }));

const minor = (row: PaymentOrder) => Math.round(Number(row.amount) * 100);
const transactions = (row: PaymentOrder, type = 'payment') =>
  PaymentTransaction.count({ where: { payment_order_id: row.id, transaction_type: type } });

async function expectPaid(row: PaymentOrder) {
  await row.reload();
  expect(row.status).toBe('paid');
  expect(await transactions(row)).toBe(1);
  const attendee = (await EventAttendee.findOne({ where: { event_id: row.event_id, user_id: row.user_id } }))!;
  expect(attendee).toMatchObject({ status: 'going', is_paid: true });
  const ticket = (await AttendanceRecord.findOne({ where: { attendee_id: attendee.id } }))!;
  expect(ticket).toMatchObject({ payment_status: 'paid', payment_order_id: row.id });
  expect(await TicketSecret.count({ where: { attendance_record_id: ticket.id } })).toBe(1);
  const r = await recount(row.event_id);
  expect(r.going_count).toBe(r.going);
}

async function expectUntouched(row: PaymentOrder, holdId: number) {
  expect((await row.reload()).status).toBe('created');
  expect(await transactions(row)).toBe(0);
  expect(await PaymentWebhook.count({ where: { payment_order_id: row.id } })).toBe(0);
  expect(await liveHold(holdId)).toBe(true);
}

// ---- PayPal -------------------------------------------------------------------------------------
function paypalEvent(type: string, resource: Record<string, unknown>, id = `WH-${crypto.randomBytes(8).toString('hex')}`) {
  return JSON.stringify({ id, event_type: type, resource_type: 'capture', create_time: new Date().toISOString(), resource });
}
const capture = (row: PaymentOrder, over: Record<string, unknown> = {}) => ({
  id: `CAP${row.order_id.slice(4, 16)}`, status: 'COMPLETED', custom_id: row.order_id,
  amount: { currency_code: row.currency, value: row.amount }, ...over,
});
async function postPaypal(body: string, o: { key?: crypto.KeyObject; webhookId?: string; headers?: Record<string, string> } = {}) {
  const id = crypto.randomUUID();
  const time = new Date().toISOString();
  const sig = crypto.sign('RSA-SHA256', Buffer.from(paypalSignedString(id, time, o.webhookId ?? PAYPAL_WEBHOOK_ID, body)), o.key ?? paypalKey);
  return (await agent()).post('/api/payments/webhooks/paypal').set('Content-Type', 'application/json')
    .set({
      'PAYPAL-TRANSMISSION-ID': id, 'PAYPAL-TRANSMISSION-TIME': time, 'PAYPAL-TRANSMISSION-SIG': sig.toString('base64'),
      'PAYPAL-AUTH-ALGO': 'SHA256withRSA', 'PAYPAL-CERT-URL': 'https://api.paypal.com/v1/notifications/certs/CERT-360caa42', ...o.headers,
    })
    .send(body);
}

describe('PayPal', () => {
  it('pays on PAYMENT.CAPTURE.COMPLETED signed with the certificate: one ticket; a duplicate changes nothing', async () => {
    const { row } = await order({ provider: 'paypal' });
    const body = paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row));
    const first = await postPaypal(body);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ duplicate: false, processed: true, error: null });
    await expectPaid(row);
    const again = await postPaypal(body);
    expect(again.status).toBe(200);
    expect(again.body.duplicate).toBe(true);
    await expectPaid(row);
    expect(row.provider_payment_id).toBe(capture(row).id);
  });

  it('refuses another key, another webhook id, a garbage signature and another algorithm with 400 — nothing changed', async () => {
    const { row, hold } = await order({ provider: 'paypal' });
    const body = paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row));
    const results = [
      await postPaypal(body, { key: otherKey }),
      await postPaypal(body, { webhookId: 'WH-SOMEONE-ELSE' }),
      await postPaypal(body, { headers: { 'PAYPAL-TRANSMISSION-SIG': 'AAAA' } }),
      await postPaypal(body, { headers: { 'PAYPAL-AUTH-ALGO': 'SHA1withRSA' } }),
    ];
    for (const res of results) {
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    await expectUntouched(row, hold.id);
  });

  it('refuses a tampered body (signature made over the original bytes)', async () => {
    const { row, hold } = await order({ provider: 'paypal' });
    const body = paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row));
    const id = crypto.randomUUID();
    const time = new Date().toISOString();
    const sig = crypto.sign('RSA-SHA256', Buffer.from(paypalSignedString(id, time, PAYPAL_WEBHOOK_ID, body)), paypalKey).toString('base64');
    const res = await (await agent()).post('/api/payments/webhooks/paypal').set('Content-Type', 'application/json')
      .set({ 'PAYPAL-TRANSMISSION-ID': id, 'PAYPAL-TRANSMISSION-TIME': time, 'PAYPAL-TRANSMISSION-SIG': sig })
      .send(body.replace(`"value":"${row.amount}"`, '"value":"1.00"'));
    expect(res.status).toBe(400);
    await expectUntouched(row, hold.id);
  });

  it('fetches certificates only over https from paypal.com', () => {
    expect(isPaypalCertUrl('https://api.paypal.com/v1/notifications/certs/CERT-1')).toBe(true);
    expect(isPaypalCertUrl('https://paypal.com/c')).toBe(true);
    for (const bad of ['http://api.paypal.com/c', 'https://paypal.com.evil.example/c', 'https://evilpaypal.com/c',
      'https://user@api.paypal.com/c', 'file:///etc/passwd', 'not a url']) expect(isPaypalCertUrl(bad)).toBe(false);
  });

  it('refuses a delivery whose PAYPAL-CERT-URL is not PayPal when no PEM is configured', async () => {
    const previous = config();
    setConfig({ ...previous, PAYPAL_CERT_PEM: undefined });
    try {
      const { row, hold } = await order({ provider: 'paypal' });
      const res = await postPaypal(paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row)), { headers: { 'PAYPAL-CERT-URL': 'https://127.0.0.1/cert.pem' } });
      expect(res.status).toBe(400);
      expect(res.body.detail).toMatch(/paypal\.com/);
      await expectUntouched(row, hold.id);
    } finally {
      setConfig(previous);
    }
  });

  it('fails the order on PAYMENT.CAPTURE.DENIED and frees the seats', async () => {
    const { row, hold } = await order({ provider: 'paypal' });
    const res = await postPaypal(paypalEvent('PAYMENT.CAPTURE.DENIED', capture(row, { status: 'DECLINED' })));
    expect(res.body.processed).toBe(true);
    expect((await row.reload()).status).toBe('failed');
    expect(await liveHold(hold.id)).toBe(false);
  });

  it('reconciles PAYMENT.CAPTURE.REFUNDED once per refund', async () => {
    const { row } = await order({ provider: 'paypal' });
    await postPaypal(paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row)));
    const refund = { id: 'REF-1', status: 'COMPLETED', custom_id: row.order_id, amount: { currency_code: row.currency, value: '100.00' },
      links: [{ rel: 'up', href: `https://api.paypal.com/v2/payments/captures/${capture(row).id}` }] };
    expect((await postPaypal(paypalEvent('PAYMENT.CAPTURE.REFUNDED', refund))).body).toMatchObject({ processed: true, error: null });
    expect((await postPaypal(paypalEvent('PAYMENT.CAPTURE.REFUNDED', refund))).body).toMatchObject({ processed: true, error: null });
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['paid', '100.00']);
    expect(await transactions(row, 'refund')).toBe(1);
  });

  it('books a chargeback on CUSTOMER.DISPUTE.RESOLVED in the buyer\'s favour, once per dispute; other outcomes and forgeries change nothing', async () => {
    const { row } = await order({ provider: 'paypal' });
    await postPaypal(paypalEvent('PAYMENT.CAPTURE.COMPLETED', capture(row)));
    const disputeOf = (outcome: string, id = 'PP-D-1') => ({
      dispute_id: id, reason: 'UNAUTHORISED', status: 'RESOLVED', dispute_amount: { currency_code: row.currency, value: row.amount },
      disputed_transactions: [{ seller_transaction_id: capture(row).id }],
      dispute_outcome: { outcome_code: outcome, amount_refunded: { currency_code: row.currency, value: '150.00' } },
    });
    const entries = () => LedgerEntry.findAll({ where: { payment_order_id: row.id, kind: 'chargeback' } });
    const lost = paypalEvent('CUSTOMER.DISPUTE.RESOLVED', disputeOf('RESOLVED_BUYER_FAVOUR'));
    expect((await postPaypal(lost, { key: otherKey })).status).toBe(400);
    expect((await postPaypal(paypalEvent('CUSTOMER.DISPUTE.RESOLVED', disputeOf('RESOLVED_SELLER_FAVOUR', 'PP-D-0')))).body.processed).toBe(true);
    expect(await entries()).toHaveLength(0);

    expect((await postPaypal(lost)).body).toMatchObject({ duplicate: false, processed: true, error: null });
    expect((await postPaypal(lost)).body.duplicate).toBe(true);
    await postPaypal(paypalEvent('CUSTOMER.DISPUTE.RESOLVED', disputeOf('RESOLVED_BUYER_FAVOUR')));
    expect((await entries()).map((e) => e.amount)).toEqual(['-150.00']);
    expect(await transactions(row, 'chargeback')).toBe(1);
    expect((await row.reload()).refund_amount).toBe('150.00');
  });
});

// ---- Paytm --------------------------------------------------------------------------------------
async function paytmFields(row: PaymentOrder, status: string, over: Record<string, string> = {}, key = PAYTM_KEY) {
  const fields: Record<string, string> = {
    MID: 'LOOPIN00000000000001', ORDERID: row.order_id, TXNID: `2026${row.order_id.slice(4, 20)}`, TXNAMOUNT: row.amount,
    CURRENCY: 'INR', STATUS: status, RESPCODE: status === 'TXN_SUCCESS' ? '01' : '227', RESPMSG: status === 'TXN_SUCCESS' ? 'Txn Success' : 'Bank declined',
    PAYMENTMODE: 'UPI', ...over,
  };
  return { ...fields, CHECKSUMHASH: await PaytmChecksum.generateSignature({ ...fields }, key) };
}
async function postPaytm(fields: Record<string, string>, as: 'form' | 'json' = 'form') {
  const req = (await agent()).post('/api/payments/webhooks/paytm');
  return as === 'form'
    ? req.set('Content-Type', 'application/x-www-form-urlencoded').send(new URLSearchParams(fields).toString())
    : req.set('Content-Type', 'application/json').send(JSON.stringify(fields));
}

describe('Paytm', () => {
  it('pays on TXN_SUCCESS with a genuine checksum (form body); the same post again changes nothing', async () => {
    const { row } = await order({ provider: 'paytm' });
    const fields = await paytmFields(row, 'TXN_SUCCESS');
    const first = await postPaytm(fields);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ duplicate: false, processed: true });
    await expectPaid(row);
    expect((await postPaytm(fields, 'json')).body.duplicate).toBe(true);
    await expectPaid(row);
  });

  it('accepts a JSON body too', async () => {
    const { row } = await order({ provider: 'paytm' });
    expect((await postPaytm(await paytmFields(row, 'TXN_SUCCESS'), 'json')).body.processed).toBe(true);
    await expectPaid(row);
  });

  it('refuses a checksum made with another key, a tampered amount, a missing checksum and garbage with 400', async () => {
    const { row, hold } = await order({ provider: 'paytm' });
    const good = await paytmFields(row, 'TXN_SUCCESS');
    const { CHECKSUMHASH: _drop, ...unsigned } = good;
    const results = [
      await postPaytm(await paytmFields(row, 'TXN_SUCCESS', {}, 'abcdefghijklmnop')),
      await postPaytm({ ...good, TXNAMOUNT: '1.00' }),
      await postPaytm(unsigned),
      await postPaytm({ ...good, CHECKSUMHASH: 'not-base64-%%%' }),
    ];
    for (const res of results) expect([res.status, res.headers['content-type']]).toEqual([400, expect.stringMatching(/problem\+json/)]);
    await expectUntouched(row, hold.id);
  });

  it('stores an amount that differs from the order with its error, and does not pay', async () => {
    const { row, hold } = await order({ provider: 'paytm' });
    const res = await postPaytm(await paytmFields(row, 'TXN_SUCCESS', { TXNAMOUNT: '1.00' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ processed: false, error: expect.stringMatching(/amount 1.00 differs/) });
    expect((await row.reload()).status).toBe('created');
    expect(await liveHold(hold.id)).toBe(true);
  });

  it('fails the order on TXN_FAILURE and frees the seats', async () => {
    const { row, hold } = await order({ provider: 'paytm' });
    expect((await postPaytm(await paytmFields(row, 'TXN_FAILURE'))).body.processed).toBe(true);
    await row.reload();
    expect([row.status, row.failure_reason]).toEqual(['failed', 'Bank declined']);
    expect(await liveHold(hold.id)).toBe(false);
  });

  it('reconciles a refund notice once', async () => {
    const { row } = await order({ provider: 'paytm' });
    await postPaytm(await paytmFields(row, 'TXN_SUCCESS'));
    const notice = await paytmFields(row, 'TXN_SUCCESS', { REFUNDAMOUNT: row.amount, REFUNDID: 'RFD-1', REFID: 'REF-1' });
    expect((await postPaytm(notice)).body).toMatchObject({ processed: true, error: null });
    expect((await postPaytm(notice)).body.duplicate).toBe(true);
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['refunded', row.amount]);
    expect(await transactions(row, 'refund')).toBe(1);
    const r = await recount(row.event_id);
    expect([r.going_count, r.going]).toEqual([0, 0]);
  });
});

// ---- PhonePe ------------------------------------------------------------------------------------
function phonepeBody(row: PaymentOrder, code: string, data: Record<string, unknown> = {}) {
  const decoded = {
    success: code === 'PAYMENT_SUCCESS', code, message: code === 'PAYMENT_SUCCESS' ? 'Your payment is successful.' : 'Payment declined',
    data: { merchantId: 'LOOPINUAT', merchantTransactionId: row.order_id, transactionId: `T${row.order_id.slice(4, 22)}`, amount: minor(row),
      state: code === 'PAYMENT_SUCCESS' ? 'COMPLETED' : 'FAILED', paymentInstrument: { type: 'UPI' }, ...data },
  };
  return { response: Buffer.from(JSON.stringify(decoded)).toString('base64') };
}
async function postPhonepe(body: { response: string }, verify: string | null = phonepeVerifyHeader(body.response, PHONEPE_SALT, PHONEPE_INDEX)) {
  const req = (await agent()).post('/api/payments/webhooks/phonepe').set('Content-Type', 'application/json');
  if (verify !== null) req.set('X-VERIFY', verify);
  return req.send(JSON.stringify(body));
}

describe('PhonePe', () => {
  it('pays on PAYMENT_SUCCESS with a genuine X-VERIFY: one ticket; a duplicate changes nothing', async () => {
    const { row } = await order({ provider: 'phonepe' });
    const body = phonepeBody(row, 'PAYMENT_SUCCESS');
    expect((await postPhonepe(body)).body).toMatchObject({ duplicate: false, processed: true });
    await expectPaid(row);
    expect((await postPhonepe(body)).body.duplicate).toBe(true);
    await expectPaid(row);
  });

  it('refuses another salt, a tampered response, another salt index and a missing header with 400', async () => {
    const { row, hold } = await order({ provider: 'phonepe' });
    const body = phonepeBody(row, 'PAYMENT_SUCCESS');
    const tampered = { response: phonepeBody(row, 'PAYMENT_SUCCESS', { amount: 100 }).response };
    const results = [
      await postPhonepe(body, phonepeVerifyHeader(body.response, 'another-salt', PHONEPE_INDEX)),
      await postPhonepe(tampered, phonepeVerifyHeader(body.response, PHONEPE_SALT, PHONEPE_INDEX)),
      await postPhonepe(body, phonepeVerifyHeader(body.response, PHONEPE_SALT, '2')),
      await postPhonepe(body, null),
    ];
    for (const res of results) expect(res.status).toBe(400);
    await expectUntouched(row, hold.id);
  });

  it('fails the order on PAYMENT_DECLINED and PAYMENT_ERROR, freeing the seats', async () => {
    for (const code of ['PAYMENT_DECLINED', 'PAYMENT_ERROR']) {
      const { row, hold } = await order({ provider: 'phonepe' });
      expect((await postPhonepe(phonepeBody(row, code))).body.processed).toBe(true);
      expect((await row.reload()).status).toBe('failed');
      expect(await liveHold(hold.id)).toBe(false);
    }
  });

  it('reconciles a refund callback once', async () => {
    const { row } = await order({ provider: 'phonepe' });
    await postPhonepe(phonepeBody(row, 'PAYMENT_SUCCESS'));
    const refund = phonepeBody(row, 'PAYMENT_SUCCESS', {
      merchantTransactionId: `${row.order_id}R1`, originalMerchantTransactionId: row.order_id, transactionId: 'TRFND1', amount: 10000,
    });
    expect((await postPhonepe(refund)).body).toMatchObject({ processed: true, error: null });
    expect((await postPhonepe(refund)).body.duplicate).toBe(true);
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['paid', '100.00']);
    expect(await transactions(row, 'refund')).toBe(1);
  });
});

// ---- Google Pay (UPI through the gateway) ---------------------------------------------------------
describe('Google Pay', () => {
  it('keeps provider gpay and method upi, and is confirmed by the gateway (Razorpay) webhook', async () => {
    const { row, body } = await order({ provider: 'gpay' });
    expect(body).toMatchObject({ provider: 'gpay', payment_method: 'upi', client: null });
    const res = await postRazorpay(razorpayBody('payment.captured', razorpayPayment(row, { method: 'upi' })));
    expect(res.body).toMatchObject({ processed: true, error: null });
    await expectPaid(row);
    expect(row.payment_provider).toBe('gpay');
    expect(row.payment_method).toBe('upi');
  });

  it('fails and frees the seats on the gateway payment.failed; reconciles the gateway refund', async () => {
    const failed = await order({ provider: 'gpay' });
    await postRazorpay(razorpayBody('payment.failed', razorpayPayment(failed.row, { status: 'failed', error_description: 'UPI declined' })));
    expect((await failed.row.reload()).status).toBe('failed');
    expect(await liveHold(failed.hold.id)).toBe(false);

    const { row } = await order({ provider: 'gpay' });
    await postRazorpay(razorpayBody('payment.captured', razorpayPayment(row)));
    const refund = razorpayBody('refund.processed', razorpayPayment(row), {
      refund: { entity: { id: 'rfnd_g1', entity: 'refund', amount: minor(row), currency: 'INR', payment_id: razorpayPayment(row).id } },
    });
    expect((await postRazorpay(refund, { eventId: 'evt_g_refund' })).body).toMatchObject({ processed: true, error: null });
    await row.reload();
    expect([row.status, row.refund_amount]).toEqual(['refunded', row.amount]);
  });

  it('refuses a PhonePe delivery for a Google Pay order (only its gateway confirms it)', async () => {
    const { row, hold } = await order({ provider: 'gpay' });
    const res = await postPhonepe(phonepeBody(row, 'PAYMENT_SUCCESS'));
    expect(res.body).toMatchObject({ processed: false, error: expect.stringMatching(/placed with gpay/) });
    expect((await row.reload()).status).toBe('created');
    expect(await liveHold(hold.id)).toBe(true);
  });
});

// ---- Unconfigured providers ---------------------------------------------------------------------
describe('a provider without credentials', () => {
  it('answers its webhook 503, is listed disabled, and cannot be ordered with (400 naming it)', async () => {
    const previous = config();
    setConfig({
      ...previous, PAYPAL_WEBHOOK_ID: undefined, PAYTM_MERCHANT_KEY: undefined, PHONEPE_SALT_KEY: undefined, RAZORPAY_WEBHOOK_SECRET: undefined,
    });
    try {
      for (const name of ['paypal', 'paytm', 'phonepe']) {
        const res = await (await agent()).post(`/api/payments/webhooks/${name}`).set('Content-Type', 'application/json').send('{}');
        expect([name, res.status]).toEqual([name, 503]);
      }
      const list = await (await agent()).get('/api/payments/providers');
      const enabled = Object.fromEntries((list.body as { provider: string; enabled: boolean }[]).map((p) => [p.provider, p.enabled]));
      expect(enabled).toMatchObject({ paypal: false, paytm: false, phonepe: false, gpay: false, cash: true, bank_transfer: true });
      for (const provider of ['paypal', 'paytm', 'phonepe', 'gpay']) {
        const { event, buyer, hold } = await heldSeats();
        const res = await (await agent()).post('/api/payments/orders').set('Authorization', await bearer(buyer))
          .send({ event: event.uuid, reservation_key: hold.reservation_key, provider });
        expect(res.status).toBe(400);
        expect(res.body.errors).toEqual([{ field: 'provider', message: expect.stringMatching(new RegExp(`${provider} is not configured`)) }]);
        expect(await PaymentOrder.count({ where: { reservation_id: hold.id } })).toBe(0);
      }
    } finally {
      setConfig(previous);
    }
  });

  it('lists all eight providers, enabled when configured', async () => {
    const list = await (await agent()).get('/api/payments/providers');
    expect((list.body as { provider: string }[]).map((p) => p.provider).sort()).toEqual(
      ['bank_transfer', 'cash', 'gpay', 'paypal', 'paytm', 'phonepe', 'razorpay', 'stripe']);
    expect((list.body as { enabled: boolean }[]).every((p) => p.enabled)).toBe(true);
  });
});
