import { Op } from 'sequelize';
import { afterEach, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildPaidEvent, buildRequest, buildReservation, buildStaff } from '../support/factories.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { systemContext } from '../../src/context.js';
import { AuditLog, CapacityReservation, EventAttendee, EventRequest, Notification, type Event } from '../../src/models/index.js';
import { expireHolds } from '../../src/modules/joining/commands/index.js';
import { agent, order, paymentIntent, postStripe, stripeEvent, withPaymentConfig } from '../payments/helpers.js';
import { count, inBatches, recount, statuses } from './helpers.js';

withPaymentConfig();
afterEach(() => clock.reset());

/** 100 pending requests on the full event, all accepted at once by the host over HTTP: all waitlisted. Returns them in FIFO order. */
async function waitlistHundred(event: Event): Promise<EventRequest[]> {
  const api = await agent();
  const requests = await inBatches(100, 10, () => buildRequest({ event }));
  const host = await bearer(event.host!);
  const answers = await Promise.all(requests.map((r) =>
    api.post(`/api/events/${event.uuid}/requests/${r.uuid}/accept`).set('Authorization', host).send({})));
  expect(statuses(answers)).toEqual({ 200: 100 });
  expect(answers.every((a) => a.body.status === 'waitlisted')).toBe(true);
  expect(answers.map((a) => a.body.waitlist_position).sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  const fifo = await EventRequest.findAll({ where: { event_id: event.id, status: 'waitlisted' }, order: [['waitlist_seq', 'ASC']] });
  expect(fifo).toHaveLength(100);
  // The answer each accept gave is the place it holds.
  const answered = new Map(answers.map((a) => [a.body.uuid as string, a.body.waitlist_position as number]));
  expect(fifo.map((r) => answered.get(r.uuid))).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
  return fifo;
}

const statusOf = async (ids: number[]) =>
  (await EventRequest.findAll({ where: { id: ids }, order: [['waitlist_seq', 'ASC'], ['id', 'ASC']] })).map((r) => r.status);

async function expectAdmitted(event: Event, fifo: EventRequest[], n: number) {
  const ids = fifo.map((r) => r.id);
  const accepted = await EventRequest.findAll({ where: { id: ids, status: 'accepted' }, attributes: ['id'] });
  expect(accepted.map((r) => Number(r.id)).sort((a, b) => a - b)).toEqual(ids.slice(0, n).map(Number).sort((a, b) => a - b));
  const waiting = await EventRequest.findAll({ where: { event_id: event.id, status: 'waitlisted' }, order: [['waitlist_seq', 'ASC']] });
  expect(waiting.map((r) => r.id)).toEqual(ids.slice(n));
  expect(await statusOf(ids.slice(n))).toEqual(Array(100 - n).fill('waitlisted'));
  expect(await AuditLog.count({ where: { command: 'joining.waitlist.admit', object_uuid: fifo.slice(0, n).map((r) => r.uuid) } })).toBe(n);
}

describe('waitlist admission under concurrency (real HTTP, separate connections)', () => {
  it('paid event: 10 seats freed at once in mixed ways admit exactly the first 10 as holds; capacity +3 admits exactly 3', async () => {
    const api = await agent();
    const event = await buildPaidEvent({ max_capacity: 10, waitlist_enabled: true });
    const shortHolds = await Promise.all(Array.from({ length: 3 }, () =>
      buildReservation({ event, expires_at: new Date(clock.now().getTime() + 5 * MINUTE) })));
    const toFail = [await order({ event }), await order({ event })];
    const toCancel = await order({ event });
    const toRefund = [await order({ event }), await order({ event })];
    for (const o of toRefund) expect((await postStripe(stripeEvent('payment_intent.succeeded', paymentIntent(o.row)))).body.processed).toBe(true);
    const leaving = [await buildAttendee({ event, paid: true }), await buildAttendee({ event, paid: true })];
    expect(await recount(event.id)).toMatchObject({ going_count: 4, going: 4, held: 6 });

    const fifo = await waitlistHundred(event);
    clock.advance(6 * MINUTE); // the three short holds are past expiry, the rest still live
    const staff = await bearer(await buildStaff());
    const freed = await Promise.all([
      expireHolds(systemContext('job')),
      ...toFail.map((o) => postStripe(stripeEvent('payment_intent.payment_failed', paymentIntent(o.row, { last_payment_error: { message: 'Card declined' } })))),
      api.post(`/api/payments/orders/${toCancel.row.uuid}/cancel`).set('Authorization', await bearer(toCancel.buyer)),
      ...toRefund.map((o) => api.post(`/api/payments/orders/${o.row.uuid}/refund`).set('Authorization', staff).send({ reason: 'changed plans' })),
      ...leaving.map(async (a) => api.post(`/api/events/${event.uuid}/attendees/${a.attendee.uuid}/cancel`).set('Authorization', await bearer(a.user))),
    ]);
    expect(freed[0]).toEqual({ released: 3 });
    expect(freed.slice(1).map((r) => (r as { status: number }).status)).toEqual([200, 200, 200, 200, 200, 200, 200]);
    expect(await CapacityReservation.count({ where: { id: shortHolds.map((h) => h.id), released_at: { [Op.ne]: null } } })).toBe(3);

    await expectAdmitted(event, fifo, 10);
    // Counters recomputed from rows: nobody going any more, exactly the 10 new holds, no oversell.
    const c = await recount(event.id);
    expect(c).toMatchObject({ going_count: 0, going: 0, going_records: 0, held: 10, requests_count: 0, pending: 0 });
    const holds = await CapacityReservation.findAll({ where: { event_id: event.id, consumed: false, released_at: null } });
    expect(holds.map((h) => Number(h.request_id)).sort((a, b) => a - b)).toEqual(fifo.slice(0, 10).map((r) => Number(r.id)).sort((a, b) => a - b));
    expect(holds.every((h) => h.seats_reserved === 1 && h.expires_at.getTime() > clock.now().getTime() + 14 * MINUTE)).toBe(true);
    // In-app notice and a pending email ("your seat is held until …") for each of the 10.
    const notices = await Notification.findAll({ where: { recipient_id: fifo.slice(0, 10).map((r) => r.requester_id), title: `A seat opened up at ${event.title}` } });
    expect(notices).toHaveLength(10);
    expect(notices.every((n) => n.email_status === 'pending' && n.metadata.template === 'waitlist_hold' && typeof n.metadata.held_until === 'string')).toBe(true);

    const host = await bearer(event.host!);
    const raised = await api.patch(`/api/events/${event.uuid}`).set('Authorization', host).send({ max_capacity: 13 });
    expect(raised.status).toBe(200);
    await expectAdmitted(event, fifo, 13);
    expect(await recount(event.id)).toMatchObject({ going: 0, held: 13, max_capacity: 13 });
    const list = await api.get(`/api/events/${event.uuid}/waitlist?page_size=3`).set('Authorization', host);
    expect(list.body.results.map((r: { uuid: string; waitlist_position: number }) => [r.uuid, r.waitlist_position]))
      .toEqual(fifo.slice(13, 16).map((r, i) => [r.uuid, i + 1]));
  }, 240_000);

  it('free event: 10 attendances cancelled at once (by themselves and by the host) admit exactly the first 10 as going; +3 admits 3', async () => {
    const api = await agent();
    const event = await buildEvent({ max_capacity: 10, waitlist_enabled: true });
    const going = await inBatches(10, 5, () => buildAttendee({ event }));
    const fifo = await waitlistHundred(event);
    const host = await bearer(event.host!);
    const cancels = await Promise.all(going.map(async (a, i) =>
      api.post(`/api/events/${event.uuid}/attendees/${a.attendee.uuid}/cancel`).set('Authorization', i % 2 ? host : await bearer(a.user))));
    expect(statuses(cancels)).toEqual({ 200: 10 });

    await expectAdmitted(event, fifo, 10);
    expect(await recount(event.id)).toMatchObject({ going_count: 10, going: 10, going_records: 10, held: 0, requests_count: 0, pending: 0 });
    const admitted = await EventAttendee.findAll({ where: { event_id: event.id, status: 'going' } });
    expect(admitted.map((a) => Number(a.request_id)).sort((a, b) => a - b)).toEqual(fifo.slice(0, 10).map((r) => Number(r.id)).sort((a, b) => a - b));

    // Raising capacity from two hosts' sessions at once still admits exactly 3 (the event lock serializes them).
    const raises = await Promise.all([0, 1].map(() => api.patch(`/api/events/${event.uuid}`).set('Authorization', host).send({ max_capacity: 13 })));
    expect(statuses(raises)).toEqual({ 200: 2 });
    await expectAdmitted(event, fifo, 13);
    expect(await recount(event.id)).toMatchObject({ going_count: 13, going: 13, going_records: 13 });
    expect(await count(`SELECT COUNT(*) FROM notification WHERE title = :t`, { t: `A place opened up: you're going to ${event.title}` })).toBe(13);
  }, 240_000);
});
