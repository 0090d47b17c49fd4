import { describe, expect, it } from 'vitest';
import { AuditLog, CapacityReservation, type Event, EventInvite, EventRequest, PaymentOrder, PaymentTransaction } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import {
  buildAttendee, buildInvite, buildOrder, buildPaidEvent, buildRequest, buildReservation, buildStaff,
} from '../support/factories.js';
import { notificationsOf } from './helpers.js';

const refundsOf = (event: Event) => PaymentTransaction.count({
  where: { transaction_type: 'refund' }, include: [{ association: 'order', where: { event_id: event.id }, required: true }],
});

describe('cancelling an event', () => {
  it('notifies, expires requests and invites, releases holds and records refunds — all at once', async () => {
    const event = await buildPaidEvent({ status: 'published', max_capacity: 20 });
    const going = await Promise.all([buildAttendee({ event, paid: true }), buildAttendee({ event, paid: true })]);
    const pending = await Promise.all([buildRequest({ event }), buildRequest({ event }), buildRequest({ event })]);
    const declined = await buildRequest({ event, status: 'declined' });
    const invite = await buildInvite({ event });
    const acceptedInvite = await buildInvite({ event, status: 'accepted' });
    const hold = await buildReservation({ event });
    const consumed = await buildReservation({ event, consumed: true });
    const paid = await buildOrder({ event, user: going[0]!.user, status: 'paid', amount: '499.00' });
    const partlyRefunded = await buildOrder({ event, user: going[1]!.user, status: 'completed', amount: '998.00', refund_amount: '100.00' });
    const unpaid = await buildOrder({ event, status: 'created' });
    await event.reload();
    expect(event.requests_count).toBe(3);

    const res = await (await api()).post(`/api/events/${event.uuid}/cancel`).set('Authorization', await bearer(event.host))
      .send({ reason: 'The venue flooded.' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ status: 'cancelled', requests_count: 0 });

    for (const person of [...going.map((g) => g.user), ...pending.map((p) => p.requester)]) {
      const notes = await notificationsOf(person.id, 'event_cancelled');
      expect(notes).toHaveLength(1);
      expect(notes[0]!.message).toContain('The venue flooded.');
    }
    expect(await notificationsOf(declined.requester.id, 'event_cancelled')).toHaveLength(0);
    expect(await notificationsOf(event.host_id, 'event_cancelled')).toHaveLength(0);

    expect(await EventRequest.count({ where: { event_id: event.id, status: 'expired' } })).toBe(3);
    expect(await EventRequest.count({ where: { event_id: event.id, status: 'pending' } })).toBe(0);
    expect((await declined.reload()).status).toBe('declined');
    expect((await invite.reload()).status).toBe('expired');
    expect((await acceptedInvite.reload()).status).toBe('accepted');
    expect((await hold.reload()).released_at).not.toBeNull();
    expect((await consumed.reload()).released_at).toBeNull();
    await event.reload();
    expect(event.requests_count).toBe(await EventRequest.count({ where: { event_id: event.id, status: 'pending' } }));

    const refunds = await PaymentTransaction.findAll({ where: { transaction_type: 'refund' }, order: [['amount', 'ASC']] });
    expect(refunds.map((r) => [r.payment_order_id, r.amount, r.status])).toEqual([
      [paid.id, '499.00', 'pending'],
      [partlyRefunded.id, '898.00', 'pending'],
    ]);
    expect((await PaymentOrder.findByPk(paid.id))!.refund_reason).toBe('event cancelled');
    expect((await PaymentOrder.findByPk(unpaid.id))!.refund_reason).toBeNull();
    // The provider has not confirmed anything yet: the order's refunded amount is unchanged.
    expect((await PaymentOrder.findByPk(paid.id))!.refund_amount).toBe('0.00');
    const refundAudits = await AuditLog.findAll({ where: { command: 'payments.refund_for_cancelled_event' } });
    expect(refundAudits).toHaveLength(2);
    expect(refundAudits.every((a) => a.severity === 'high')).toBe(true);
    const [cancelAudit] = await AuditLog.findAll({ where: { command: 'events.cancel', object_uuid: event.uuid } });
    expect(cancelAudit!.payload).toMatchObject({ requests_expired: 3, invites_expired: 1, holds_released: 1, refunds_recorded: 2 });
  });

  it('records nothing more when the refund hook runs again', async () => {
    const { refundPaidOrdersForEvent } = await import('../../src/modules/payments/refund-event.js');
    const { createContext } = await import('../../src/context.js');
    const event = await buildPaidEvent({ status: 'published' });
    await buildOrder({ event, status: 'paid' });
    const ctx = createContext({ source: 'system' });
    expect(await refundPaidOrdersForEvent(ctx, event)).toHaveLength(1);
    expect(await refundPaidOrdersForEvent(ctx, event)).toHaveLength(0);
    expect(await refundsOf(event)).toBe(1);
  });

  it('rolls everything back when the cancel is refused', async () => {
    const event = await buildPaidEvent({ status: 'completed' });
    const request = await buildRequest({ event });
    await buildOrder({ event, status: 'paid' });
    const res = await (await api()).post(`/api/events/${event.uuid}/cancel`).set('Authorization', await bearer(await buildStaff()));
    expect(res.status).toBe(409);
    expect((await request.reload()).status).toBe('pending');
    expect(await refundsOf(event)).toBe(0);
    expect(await CapacityReservation.count({ where: { event_id: event.id } })).toBe(0);
    expect(await EventInvite.count({ where: { event_id: event.id, status: 'expired' } })).toBe(0);
  });

  it('refuses a cancel body with unknown fields or an overlong reason', async () => {
    const event = await buildPaidEvent({ status: 'published' });
    const agent = await api();
    const auth = await bearer(event.host);
    expect((await agent.post(`/api/events/${event.uuid}/cancel`).set('Authorization', auth).send({ reason: 'r'.repeat(501) })).status).toBe(400);
    expect((await agent.post(`/api/events/${event.uuid}/cancel`).set('Authorization', auth).send({ refund: false })).status).toBe(400);
    expect((await event.reload()).status).toBe('published');
  });
});
