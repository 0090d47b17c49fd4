import { describe, expect, it } from 'vitest';
import { api, bearer } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { createAdjustment } from '../../src/modules/money/commands/adjustments.js';
import { approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing } from '../../src/modules/money/commands/payouts.js';
import { ctxOf, hostWithAccount, moneyBack, pastEvent, payOrder, staffCtx } from './support.js';

describe('host money API', () => {
  it('GET /host/balance, /host/ledger and /host/payouts show the caller\'s own money only', async () => {
    const staff = await staffCtx();
    const host = await hostWithAccount();
    const event = await pastEvent(host, 30, '600.00');
    const order = await payOrder(event, { fee: '30.00' });
    await moneyBack(order, '60.00');
    await payOrder(await pastEvent(host, 0, '100.00'), { fee: '5.00' }); // pending
    const failed = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    await failPayout(staff, failed.uuid, { reason: 'bounced' });
    const paid = await createPayout(staff, { host: host.uuid, currency: 'INR' });
    await approvePayout(staff, paid.uuid);
    await markPayoutProcessing(staff, paid.uuid);
    await completePayout(staff, paid.uuid);
    await createAdjustment(staff, { host: host.uuid, currency: 'USD', amount: '3.50', reason: 'goodwill' });
    await payOrder(await pastEvent(await hostWithAccount(), 30), { fee: '1.00' }); // someone else's

    const auth = await bearer(host);
    const balance = await (await api()).get('/api/host/balance').set('Authorization', auth);
    expect(balance.status).toBe(200);
    expect(balance.body).toEqual([
      { currency: 'INR', pending: '95.00', available: '0.00', paid_out: '510.00' },
      { currency: 'USD', pending: '0.00', available: '3.50', paid_out: '0.00' },
    ]);

    const kinds: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res: { status: number; body: { results: { kind: string }[]; next: string | null } } = await (await api()).get('/api/host/ledger').query({ page_size: 3, ...(cursor ? { cursor } : {}) }).set('Authorization', auth);
      expect(res.status).toBe(200);
      kinds.push(...res.body.results.map((e: { kind: string }) => e.kind));
      cursor = res.body.next;
      pages++;
    } while (cursor);
    // sale, fee, refund, sale, fee, payout, payout reversal, payout, adjustment — newest first
    expect(kinds).toEqual(['adjustment', 'payout', 'payout', 'payout', 'fee', 'sale', 'refund', 'fee', 'sale']);
    expect(pages).toBe(3);
    const first = await (await api()).get('/api/host/ledger').set('Authorization', auth);
    const refund = first.body.results.find((e: { kind: string }) => e.kind === 'refund');
    expect(refund).toMatchObject({ amount: '-60.00', currency: 'INR', order: { uuid: order.uuid }, event: { uuid: event.uuid } });
    expect(Object.keys(refund).sort()).toEqual(['amount', 'created_at', 'currency', 'event', 'kind', 'order', 'reason', 'uuid']);

    const payouts = await (await api()).get('/api/host/payouts').query({ page_size: 1 }).set('Authorization', auth);
    expect(payouts.body.results).toEqual([expect.objectContaining({ uuid: paid.uuid, amount: '510.00', currency: 'INR', status: 'completed' })]);
    const next = await (await api()).get('/api/host/payouts').query({ page_size: 1, cursor: payouts.body.next }).set('Authorization', auth);
    expect(next.body).toMatchObject({ results: [{ uuid: failed.uuid, status: 'failed' }], next: null });

    const stranger = await bearer(await buildUser());
    expect((await (await api()).get('/api/host/balance').set('Authorization', stranger)).body).toEqual([]);
    expect((await (await api()).get('/api/host/ledger').set('Authorization', stranger)).body).toEqual({ results: [], next: null });
  });

  it('answers 401 without a token and 400 for a bad cursor or page size', async () => {
    for (const path of ['/api/host/balance', '/api/host/ledger', '/api/host/payouts']) {
      expect((await (await api()).get(path)).status).toBe(401);
    }
    const auth = await bearer(ctxOf(await buildUser()).actor!);
    expect((await (await api()).get('/api/host/ledger?cursor=nope').set('Authorization', auth)).status).toBe(400);
    expect((await (await api()).get('/api/host/payouts?page_size=0').set('Authorization', auth)).status).toBe(400);
  });
});
