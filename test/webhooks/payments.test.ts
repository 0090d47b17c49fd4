import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, setConfig } from '../../src/config.js';
import { AuthUser } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { buildPaidEvent, buildUser } from '../support/factories.js';
import { agent, order, paymentIntent, postStripe, stripeEvent, withPaymentConfig } from '../payments/helpers.js';
import { deliver, receiver, registerEndpoint, verified } from './support.js';

withPaymentConfig();
let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  rx = await receiver();
  setConfig({ ...config(), WEBHOOK_ALLOW_PRIVATE_URLS: true });
});
afterAll(async () => {
  await rx.close();
});

describe('host webhooks: order.paid and order.refunded', () => {
  it('tells the host once per payment (duplicate provider deliveries included) and once per refund', async () => {
    const host = await buildUser();
    const other = await buildUser();
    const event = await buildPaidEvent({ host, max_capacity: 5 });
    const ep = await registerEndpoint(host, `${rx.url}/money`, ['order.paid', 'order.refunded']);
    await registerEndpoint(other, `${rx.url}/other`, ['order.paid', 'order.refunded']);
    const { row, buyer } = await order({ event, seats: 1 });
    const payload = stripeEvent('payment_intent.succeeded', paymentIntent(row));
    expect((await postStripe(payload)).status).toBe(200);
    expect((await postStripe(payload)).status).toBe(200);
    await deliver();
    expect(rx.received.map((r) => r.path)).toEqual(['/money']);
    const paid = verified(ep.secret, rx.received[0]!);
    expect(paid).toMatchObject({
      type: 'order.paid',
      data: { event: { uuid: event.uuid }, order: { uuid: row.uuid, amount: '499.00', currency: row.currency, status: 'paid' }, buyer: { uuid: buyer.uuid } },
    });
    expect(JSON.stringify(paid.data)).not.toMatch(/"id":/);

    const res = await (await agent()).post(`/api/payments/orders/${row.uuid}/refund`).set('Authorization', await bearer(host as AuthUser))
      .send({ amount: '100.00', reason: 'goodwill' });
    expect(res.status, res.text).toBeLessThan(300);
    await deliver();
    expect(rx.received.map((r) => r.path)).toEqual(['/money', '/money']);
    expect(verified(ep.secret, rx.received[1]!)).toMatchObject({
      type: 'order.refunded', data: { order: { uuid: row.uuid }, refund: { amount: '100.00', reason: 'goodwill' }, buyer: { uuid: buyer.uuid } },
    });
  });
});
