import { describe, expect, it } from 'vitest';
import { systemContext } from '../../src/context.js';
import { runJob } from '../../src/jobs/runtime.js';
import { clock, HOUR, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, EventAttendee, Notification, PaymentOrder, PaymentTransaction } from '../../src/models/index.js';
import { expireOrders } from '../../src/modules/payments/commands/index.js';
import { bearer } from '../support/app.js';
import { aYearFromNow } from '../support/dates.js';
import { buildStaff, buildUser } from '../support/factories.js';
import { recount } from '../joining/helpers.js';
import { agent, liveHold, order, withPaymentConfig } from './helpers.js';

withPaymentConfig();

const markPaid = async (uuid: string, user: { uuid: string }, body: Record<string, unknown> = { reference: 'RCPT-7' }) =>
  (await agent()).post(`/api/payments/orders/${uuid}/mark-paid`).set('Authorization', await bearer(user)).send(body);

describe('mark-paid (cash, bank transfer)', () => {
  it('runs the same fulfilment as a webhook: transaction, paid attendee and ticket, receipt, seats counted', async () => {
    const { row, event, buyer, hold } = await order({ provider: 'cash', seats: 2, capacity: 2 });
    expect((await markPaid(row.uuid, buyer)).status).toBe(403);
    expect((await markPaid(row.uuid, await buildUser())).status).toBe(404);
    expect((await markPaid(row.uuid, event.host!, {})).status).toBe(400);
    const res = await markPaid(row.uuid, event.host!);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'paid', amount: '998.00' });
    const txn = (await PaymentTransaction.findOne({ where: { payment_order_id: row.id } }))!;
    expect(txn).toMatchObject({ transaction_type: 'payment', status: 'completed', amount: '998.00', provider_transaction_id: 'RCPT-7' });
    expect(await EventAttendee.count({ where: { event_id: event.id, user_id: buyer.id, is_paid: true, status: 'going' } })).toBe(1);
    expect(await Notification.count({ where: { recipient_id: buyer.id, type: 'payment_success' } })).toBe(1);
    expect(await liveHold(hold.id)).toBe(false);
    expect((await recount(event.id)).going_count).toBe(2);
    expect((await markPaid(row.uuid, event.host!)).status).toBe(409);
  });

  it('is for cash and bank transfer only, and refuses an expired order at once', async () => {
    const online = await order({ provider: 'stripe' });
    expect((await markPaid(online.row.uuid, await buildStaff())).status).toBe(409);
    const bank = await order({ provider: 'bank_transfer' });
    clock.set(new Date(bank.row.expires_at.getTime() + MINUTE));
    const res = await markPaid(bank.row.uuid, await buildStaff());
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/expired/);
    expect((await bank.row.reload()).status).toBe('pending');
  });
});

describe('expire-orders', () => {
  it('cancels exactly the expired unpaid orders, releases their holds, and a second run changes nothing', async () => {
    // Past everything earlier tests left open (their orders expire within days of real time), which
    // this first run clears. A fixed date here stopped doing that once real time reached it.
    clock.set(aYearFromNow());
    await expireOrders(systemContext('job'));
    const online = await order({ provider: 'stripe' });
    const cash = await order({ provider: 'cash' });
    const paid = await order({ provider: 'cash' });
    await markPaid(paid.row.uuid, paid.event.host!);
    clock.advance(HOUR);
    const fresh = await order({ provider: 'stripe' });
    const before = await PaymentOrder.count({ where: { status: 'cancelled' } });

    expect(await expireOrders(systemContext('job'))).toEqual({ expired: 1, holds_released: 1 });
    expect((await online.row.reload()).status).toBe('cancelled');
    expect(online.row.failure_reason).toBe('expired');
    expect(await liveHold(online.hold.id)).toBe(false);
    expect((await cash.row.reload()).status).toBe('pending');
    expect(await liveHold(cash.hold.id)).toBe(true);
    expect((await fresh.row.reload()).status).toBe('created');
    expect((await paid.row.reload()).status).toBe('paid');

    clock.advance(24 * HOUR);
    const outcome = await runJob('expire-orders', (ctx) => expireOrders(ctx));
    expect(outcome.ran).toBe(true);
    expect((await cash.row.reload()).status).toBe('cancelled');
    expect((await fresh.row.reload()).status).toBe('cancelled');
    expect(await liveHold(cash.hold.id)).toBe(false);
    expect((await paid.row.reload()).status).toBe('paid');
    expect(await expireOrders(systemContext('job'))).toEqual({ expired: 0, holds_released: 0 });
    expect(await PaymentOrder.count({ where: { status: 'cancelled' } })).toBe(before + (outcome.result as { expired: number }).expired + 1);
    expect(await AuditLog.count({ where: { command: 'payments.order.expire' } })).toBeGreaterThanOrEqual(2);
  });

  it('works in batches', async () => {
    clock.set(aYearFromNow());
    await expireOrders(systemContext('job'));
    for (let i = 0; i < 5; i++) await order();
    clock.advance(HOUR);
    expect(await expireOrders(systemContext('job'), { batchSize: 2 })).toEqual({ expired: 5, holds_released: 5 });
  });
});
