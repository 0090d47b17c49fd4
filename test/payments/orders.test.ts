import { describe, expect, it } from 'vitest';
import { config, setConfig } from '../../src/config.js';
import { clock, HOUR, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, CapacityReservation, PaymentOrder } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { aYearFromNow } from '../support/dates.js';
import { buildPaidEvent, buildReservation, buildStaff, buildUser } from '../support/factories.js';
import { agent, heldSeats, liveHold, order, withPaymentConfig } from './helpers.js';

withPaymentConfig({ PLATFORM_FEE_PERCENT: '2.5', PLATFORM_FEE_FIXED: '10.00', BANK_ACCOUNT_NUMBER: '001122334455', BANK_IFSC: 'HDFC0001234', BANK_NAME: 'HDFC', BANK_ACCOUNT_NAME: 'Loopin' });

describe('GET /payments/providers', () => {
  it('lists the eight ERD providers; cash and bank_transfer always enabled, others when configured', async () => {
    const res = await (await agent()).get('/api/payments/providers');
    expect(res.status).toBe(200);
    expect(res.body.map((p: { provider: string }) => p.provider)).toEqual(['razorpay', 'stripe', 'paypal', 'paytm', 'phonepe', 'gpay', 'cash', 'bank_transfer']);
    const enabled = Object.fromEntries(res.body.map((p: { provider: string; enabled: boolean }) => [p.provider, p.enabled]));
    expect(enabled).toMatchObject({ stripe: true, razorpay: true, paypal: false, cash: true, bank_transfer: true });
  });
});

describe('POST /payments/orders', () => {
  it('prices the order on the server with a frozen fee snapshot and a readable reference', async () => {
    const { body, row, hold, buyer } = await order({ seats: 2 });
    expect(body).toMatchObject({
      amount: '998.00', currency: 'INR', status: 'created', provider: 'stripe', payment_method: 'card', refund_amount: '0.00', client: null,
      seats: 2, unit_price: '499.00',
    });
    expect(body.order_reference).toMatch(new RegExp(`^LP-${row.created_at.getUTCFullYear()}-\\d{6}$`));
    expect(body.expires_at).toBe(hold.expires_at.toISOString());
    // 2.5 % of 998.00 = 24.95, + 10.00 fixed.
    expect(row.platform_fee).toBe('34.95');
    expect(row.host_share).toBe('963.05');
    expect([row.fee_percent, row.fee_fixed]).toEqual(['2.50', '10.00']);
    // A later change of the fee changes no order already placed.
    const previous = config();
    setConfig({ ...previous, PLATFORM_FEE_PERCENT: '50' });
    try {
      expect((await row.reload()).platform_fee).toBe('34.95');
      const again = await (await agent()).get(`/api/payments/orders/${body.uuid}`).set('Authorization', await bearer(buyer));
      expect(again.body).toMatchObject({ platform_fee: '34.95', host_share: '963.05', amount: '998.00' });
    } finally {
      setConfig(previous);
    }
    expect(await AuditLog.count({ where: { command: 'payments.order.place', object_uuid: body.uuid } })).toBe(1);
  });

  it('rounds the percentage half-up to the minor unit', async () => {
    const previous = config();
    setConfig({ ...previous, PLATFORM_FEE_PERCENT: '1.25', PLATFORM_FEE_FIXED: '0.00' });
    try {
      const event = await buildPaidEvent({ ticket_price: '10.20', max_capacity: 5 });
      const { row } = await order({ event });
      // 1.25 % of 10.20 = 0.1275 → 0.13
      expect(row.platform_fee).toBe('0.13');
      expect(row.host_share).toBe('10.07');
    } finally {
      setConfig(previous);
    }
  });

  it('ignores a client-sent amount and returns the same open order for the same hold (200)', async () => {
    const { event, buyer, hold } = await heldSeats();
    const auth = await bearer(buyer);
    const first = await (await agent()).post('/api/payments/orders').set('Authorization', auth)
      .send({ event: event.slug, reservation_key: hold.reservation_key, provider: 'stripe', amount: '0.01' });
    expect(first.status).toBe(201);
    expect(first.body.amount).toBe('499.00');
    const again = await Promise.all(Array.from({ length: 5 }, async () => (await agent()).post('/api/payments/orders').set('Authorization', auth)
      .send({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'razorpay' })));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(new Set(again.map((r) => r.body.uuid))).toEqual(new Set([first.body.uuid]));
    expect(await PaymentOrder.count({ where: { reservation_id: hold.id } })).toBe(1);
    const doc = (await (await agent()).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/payments/orders'].post.responses)).toEqual(expect.arrayContaining(['200', '201']));
  });

  it('serves only the holder of a live hold', async () => {
    const { event, hold, buyer: owner } = await heldSeats();
    const stranger = await buildUser();
    const post = async (body: Record<string, unknown>, user = stranger) =>
      (await agent()).post('/api/payments/orders').set('Authorization', await bearer(user)).send(body);
    expect((await post({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'stripe' })).status).toBe(404);
    expect((await post({ event: event.uuid, reservation_key: 'not-a-key', provider: 'stripe' })).status).toBe(404);
    const paypal = await post({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'paypal' }, owner);
    expect(paypal.status).toBe(400);
    expect(paypal.headers['content-type']).toMatch(/problem\+json/);
    expect(paypal.body.detail).toMatch(/paypal/);
    expect((await post({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'bitcoin' }, owner)).status).toBe(400);
    expect((await post({ event: event.uuid }, owner)).status).toBe(400);
    clock.set(new Date(hold.expires_at.getTime() + 1000));
    const late = await post({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'stripe' }, owner);
    expect(late.status).toBe(409);
    expect(await PaymentOrder.count({ where: { reservation_id: hold.id } })).toBe(0);
  });

  it('gives cash and bank-transfer orders 24 hours and keeps the hold as long', async () => {
    clock.set(aYearFromNow());
    const { body, hold } = await order({ provider: 'cash' });
    expect(body.status).toBe('pending');
    expect(new Date(body.expires_at).getTime()).toBe(clock.now().getTime() + 24 * HOUR);
    expect((await CapacityReservation.findByPk(hold.id))!.expires_at.toISOString()).toBe(body.expires_at);
    expect(body.client).toMatchObject({ reference: body.order_reference, amount: '499.00', currency: 'INR' });
    const bank = await order({ provider: 'bank_transfer' });
    expect(bank.body.client).toMatchObject({ account_number: '001122334455', ifsc: 'HDFC0001234', reference: bank.body.order_reference });
  });
});

describe('reading and cancelling orders', () => {
  it('shows an order to its buyer, the host and staff; 404 to anyone else', async () => {
    const { body, buyer, event } = await order();
    const get = async (user: { uuid: string }) => (await agent()).get(`/api/payments/orders/${body.uuid}`).set('Authorization', await bearer(user));
    expect((await get(buyer)).status).toBe(200);
    expect((await get(event.host!)).status).toBe(200);
    expect((await get(await buildStaff())).status).toBe(200);
    expect((await get(await buildUser())).status).toBe(404);
    expect((await (await agent()).get('/api/payments/orders/nope').set('Authorization', await bearer(buyer))).status).toBe(404);
    expect((await (await agent()).get(`/api/payments/orders/${body.uuid}`)).status).toBe(401);
  });

  it('lists my orders newest first with a keyset cursor', async () => {
    const buyer = await buildUser();
    const placed = [];
    for (let i = 0; i < 3; i++) placed.push((await order({ user: buyer })).body.uuid);
    const auth = await bearer(buyer);
    const first = await (await agent()).get('/api/payments/orders?page_size=2').set('Authorization', auth);
    expect(first.status).toBe(200);
    expect(first.body.results.map((o: { uuid: string }) => o.uuid)).toEqual([placed[2], placed[1]]);
    const second = await (await agent()).get(`/api/payments/orders?page_size=2&cursor=${first.body.next}`).set('Authorization', auth);
    expect(second.body.results.map((o: { uuid: string }) => o.uuid)).toEqual([placed[0]]);
    expect(second.body.next).toBeNull();
    expect((await (await agent()).get('/api/payments/orders?cursor=%%%').set('Authorization', auth)).status).toBe(400);
  });

  it('cancels an unpaid order for its buyer and releases the hold', async () => {
    const { body, buyer, hold, event } = await order();
    const cancel = async (user: { uuid: string }) => (await agent()).post(`/api/payments/orders/${body.uuid}/cancel`).set('Authorization', await bearer(user));
    expect((await cancel(event.host!)).status).toBe(403);
    expect((await cancel(await buildUser())).status).toBe(404);
    const res = await cancel(buyer);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect(await liveHold(hold.id)).toBe(false);
    expect((await cancel(buyer)).status).toBe(409);
  });

  it('shows an order past expires_at as expired before the job runs', async () => {
    const { body, buyer } = await order();
    clock.set(new Date(new Date(body.expires_at).getTime() + MINUTE));
    const res = await (await agent()).get(`/api/payments/orders/${body.uuid}`).set('Authorization', await bearer(buyer));
    expect(res.body).toMatchObject({ status: 'cancelled', failure_reason: 'expired', client: null });
  });

  it('refuses an order on a hold of another event', async () => {
    const { buyer, hold } = await heldSeats();
    const other = await buildPaidEvent();
    await buildReservation({ event: other, user: await buildUser() });
    const res = await (await agent()).post('/api/payments/orders').set('Authorization', await bearer(buyer))
      .send({ event: other.uuid, reservation_key: hold.reservation_key, provider: 'stripe' });
    expect(res.status).toBe(404);
  });
});
