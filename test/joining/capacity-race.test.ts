import { afterAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildEvent, buildPaidEvent, buildRequest, buildUser } from '../support/factories.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { CapacityReservation, EventAttendee, EventRequest } from '../../src/models/index.js';
import { closeServer, count, http_, inBatches, recount, statuses } from './helpers.js';

afterAll(closeServer);

describe('capacity under concurrency (real HTTP, separate connections)', () => {
  it('200 users request and the host accepts all at once on a 10-seat free event: exactly 10 going', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 10 });
    const users = await inBatches(200, 10, () => buildUser());
    const created = await Promise.all(users.map(async (u) =>
      api.post(`/api/events/${event.uuid}/requests`).set('Authorization', await bearer(u)).send({ message: 'let me in' })));
    expect(statuses(created)).toEqual({ 201: 200 });
    expect(await recount(event.id)).toMatchObject({ requests_count: 200, pending: 200 });

    const host = await bearer(event.host);
    const accepted = await Promise.all(created.map((r) =>
      api.post(`/api/events/${event.uuid}/requests/${r.body.uuid}/accept`).set('Authorization', host).send({})));
    expect(statuses(accepted)).toEqual({ 200: 10, 409: 190 });
    expect(accepted.filter((r) => r.status === 409).every((r) => r.body.detail === 'Event is full')).toBe(true);

    const c = await recount(event.id);
    expect(c).toMatchObject({ going_count: 10, going: 10, going_records: 10, requests_count: 190, pending: 190, held: 0 });
    expect(await EventAttendee.count({ where: { event_id: event.id } })).toBe(10);
    expect(await EventRequest.count({ where: { event_id: event.id, status: 'accepted' } })).toBe(10);
    // One notification per accepted requester, in the same transactions as the seats.
    expect(await count(`SELECT COUNT(*) FROM notification WHERE type = 'event_request' AND title = 'Your request was accepted'`)).toBe(10);
  }, 120_000);

  it('the same on a paid event: exactly 10 seats held by 10 reservations, none going', async () => {
    const api = await http_();
    const event = await buildPaidEvent({ max_capacity: 10 });
    const requests = await inBatches(200, 10, () => buildRequest({ event }));
    const host = await bearer(event.host);
    const accepted = await Promise.all(requests.map((r) =>
      api.post(`/api/events/${event.slug}/requests/${r.uuid}/accept`).set('Authorization', host).send({ host_message: 'pay soon' })));
    expect(statuses(accepted)).toEqual({ 200: 10, 409: 190 });
    const ok = accepted.filter((r) => r.status === 200);
    for (const r of ok) {
      expect(r.body.attendee).toBeNull();
      expect(r.body.reservation).toMatchObject({ seats_reserved: 1 });
      expect(Date.parse(r.body.reservation.expires_at) - clock.now().getTime()).toBeGreaterThan(14 * MINUTE);
    }
    expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0, held: 10, requests_count: 190, pending: 190 });
    expect(await CapacityReservation.count({ where: { event_id: event.id } })).toBe(10);
  }, 120_000);

  it('two-seat requests never overshoot: going + held stays within capacity', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 7, allow_plus_one: true });
    const requests = await inBatches(30, 10, (i) => buildRequest({ event, seats_requested: i % 2 ? 2 : 1 }));
    const host = await bearer(event.host);
    const accepted = await Promise.all(requests.map((r) =>
      api.post(`/api/events/${event.uuid}/requests/${r.uuid}/accept`).set('Authorization', host).send({})));
    const c = await recount(event.id);
    expect(c.going_count).toBe(c.going);
    expect(c.going).toBeLessThanOrEqual(7);
    expect(c.going).toBeGreaterThanOrEqual(6); // only a 2-seat request can be left out when 1 seat remains
    expect(c.requests_count).toBe(c.pending);
    expect(statuses(accepted)[200]).toBe(await EventAttendee.count({ where: { event_id: event.id } }));
  }, 120_000);

  it('50 concurrent duplicate requests by one user leave one pending row', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 100 });
    const user = await buildUser();
    const auth = await bearer(user);
    const results = await Promise.all(Array.from({ length: 50 }, () =>
      api.post(`/api/events/${event.uuid}/requests`).set('Authorization', auth).send({})));
    expect(statuses(results)).toEqual({ 201: 1, 409: 49 });
    expect(await EventRequest.count({ where: { event_id: event.id, requester_id: user.id } })).toBe(1);
    expect(await recount(event.id)).toMatchObject({ requests_count: 1, pending: 1 });
  });

  it('accept and cancel racing on one request: exactly one outcome', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 50 });
    const host = await bearer(event.host);
    for (let round = 0; round < 10; round++) {
      const request = await buildRequest({ event });
      const [accept, cancel] = await Promise.all([
        api.post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`).set('Authorization', host).send({}),
        api.post(`/api/requests/${request.uuid}/cancel`).set('Authorization', await bearer(request.requester)).send({}),
      ]);
      expect([accept.status, cancel.status].sort()).toEqual([200, 409]);
      await request.reload();
      expect(request.status).toBe(accept.status === 200 ? 'accepted' : 'cancelled');
      const attendees = await EventAttendee.count({ where: { request_id: request.id } });
      expect(attendees).toBe(accept.status === 200 ? 1 : 0);
    }
    const c = await recount(event.id);
    expect(c).toMatchObject({ going_count: c.going, requests_count: 0, pending: 0 });
  });

  it('held seats come back the moment the hold expires, with no job run', async () => {
    clock.set(new Date());
    const api = await http_();
    const event = await buildPaidEvent({ max_capacity: 2 });
    const [a, b, c] = await Promise.all([buildRequest({ event }), buildRequest({ event }), buildRequest({ event })]);
    // Signed per call: access tokens live 15 minutes on the same clock we move.
    const accept = async (uuid: string) =>
      api.post(`/api/events/${event.uuid}/requests/${uuid}/accept`).set('Authorization', await bearer(event.host)).send({});
    expect((await accept(a.uuid)).status).toBe(200);
    expect((await accept(b.uuid)).status).toBe(200);
    const full = await accept(c.uuid);
    expect(full.status).toBe(409);
    expect(full.body.detail).toBe('Event is full');

    clock.advance(15 * MINUTE - 1000);
    expect((await accept(c.uuid)).status).toBe(409); // still held a second before expiry
    clock.advance(1000);
    const again = await accept(c.uuid);
    expect(again.status).toBe(200);
    expect(again.body.reservation.seats_reserved).toBe(1);
    expect(await recount(event.id)).toMatchObject({ held: 1, going_count: 0 });
    // Nothing swept them: the expired holds are still unreleased rows.
    expect(await CapacityReservation.count({ where: { event_id: event.id, released_at: null } })).toBe(3);
  });

  it('a free event fills back up after a cancellation frees seats at once', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 1 });
    const [a, b] = await Promise.all([buildRequest({ event }), buildRequest({ event })]);
    const host = await bearer(event.host);
    const first = await api.post(`/api/events/${event.uuid}/requests/${a.uuid}/accept`).set('Authorization', host).send({});
    expect(first.status).toBe(200);
    expect((await api.post(`/api/events/${event.uuid}/requests/${b.uuid}/accept`).set('Authorization', host).send({})).status).toBe(409);
    const cancel = await api.post(`/api/events/${event.uuid}/attendees/${first.body.attendee.uuid}/cancel`)
      .set('Authorization', await bearer(a.requester)).send({});
    expect(cancel.status).toBe(200);
    expect(cancel.body.status).toBe('not_going');
    expect((await api.post(`/api/events/${event.uuid}/requests/${b.uuid}/accept`).set('Authorization', host).send({})).status).toBe(200);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1, requests_count: 0 });
  });
});
