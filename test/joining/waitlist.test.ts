import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildOrder, buildPaidEvent, buildRequest, buildReservation, buildStaff, buildUser } from '../support/factories.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { createContext, systemContext } from '../../src/context.js';
import { AuditLog, AuthUser as User, CapacityReservation, EventAttendee, EventRequest, Notification, type Event } from '../../src/models/index.js';
import { admitNow, releaseReservation } from '../../src/modules/joining/commands/index.js';
import { expireOrders } from '../../src/modules/payments/commands/expire.js';
import { deliverDueEmails } from '../../src/modules/notifications/outbox/deliver.js';
import { startSmtp } from '../notifications/support.js';
import { eventBody, expectProblem } from '../events/helpers.js';
import { closeServer, http_, recount } from './helpers.js';

afterAll(closeServer);
afterEach(() => clock.reset());

type Agent = Awaited<ReturnType<typeof http_>>;

/** A full waitlist event (capacity `capacity`, all going) and `n` pending requests. */
async function fullEvent(o: { capacity?: number; n?: number; paid?: boolean; plusOne?: boolean } = {}) {
  const capacity = o.capacity ?? 2;
  const build = o.paid ? buildPaidEvent : buildEvent;
  const event = await build({ max_capacity: capacity, waitlist_enabled: true, allow_plus_one: !!o.plusOne });
  const going = [];
  for (let i = 0; i < capacity; i++) going.push(await buildAttendee({ event, paid: !!o.paid }));
  const requests = [];
  for (let i = 0; i < (o.n ?? 3); i++) requests.push(await buildRequest({ event }));
  return { event, going, requests, host: await bearer(event.host) };
}

const accept = async (api: Agent, event: Event, uuid: string, host: string) =>
  api.post(`/api/events/${event.uuid}/requests/${uuid}/accept`).set('Authorization', host).send({});

async function waitlistAll(api: Agent, event: Event, requests: { uuid: string }[], host: string) {
  const out = [];
  for (const r of requests) out.push(await accept(api, event, r.uuid, host));
  return out;
}

describe('waitlist: entering it', () => {
  it('a host accept on a full waitlist event answers {uuid, status: waitlisted, waitlist_position} instead of 409', async () => {
    const api = await http_();
    const { event, requests, host } = await fullEvent({ n: 3 });
    const answers = await waitlistAll(api, event, requests, host);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(answers.map((a) => a.body)).toEqual(requests.map((r, i) => ({ uuid: r.uuid, status: 'waitlisted', waitlist_position: i + 1 })));
    const rows = await EventRequest.findAll({ where: { event_id: event.id }, order: [['waitlist_seq', 'ASC']] });
    expect(rows.map((r) => r.uuid)).toEqual(requests.map((r) => r.uuid));
    expect(rows.every((r) => r.status === 'waitlisted' && r.waitlist_seq !== null)).toBe(true);
    // They no longer count as pending; the requester is told their place.
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, pending: 0, going: 2, going_count: 2 });
    const notice = await Notification.findOne({ where: { recipient_id: requests[1]!.requester_id, title: `You're on the waitlist for ${event.title}` } });
    expect(notice?.metadata).toMatchObject({ waitlist_position: 2 });
    expect(await AuditLog.count({ where: { command: 'joining.request.waitlist', object_uuid: requests[0]!.uuid } })).toBe(1);
  });

  it('without waitlist_enabled a full event still refuses (409), requests included', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 1 });
    await buildAttendee({ event });
    const request = await buildRequest({ event });
    const res = await accept(api, event, request.uuid, await bearer(event.host));
    expectProblem(res, 409);
    expect(res.body.detail).toBe('Event is full');
    const ask = await api.post(`/api/events/${event.uuid}/requests`).set('Authorization', await bearer(await buildUser())).send({});
    expectProblem(ask, 409);
  });

  it('takes requests while full (201 pending), once per person: not again while waitlisted', async () => {
    const api = await http_();
    const { event, host } = await fullEvent({ n: 0 });
    const user = await buildUser();
    const auth = await bearer(user);
    const ask = await api.post(`/api/events/${event.uuid}/requests`).set('Authorization', auth).send({});
    expect(ask.status).toBe(201);
    expect(ask.body).toMatchObject({ status: 'pending', waitlist_position: null });
    expect((await accept(api, event, ask.body.uuid, host)).body).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
    const again = await api.post(`/api/events/${event.uuid}/requests`).set('Authorization', auth).send({});
    expectProblem(again, 409);
    expect(again.body.detail).toBe('You are already on the waitlist of this event');
  });

  it('waitlist_enabled is an event field: default false, set on create, changed by PATCH, shown in responses', async () => {
    const api = await http_();
    const host = await buildUser();
    const auth = await bearer(host);
    const created = await api.post('/api/events').set('Authorization', auth).send(await eventBody());
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body.waitlist_enabled).toBe(false);
    const on = await api.post('/api/events').set('Authorization', auth).send(await eventBody({ waitlist_enabled: true }));
    expect(on.body.waitlist_enabled).toBe(true);
    const patched = await api.patch(`/api/events/${created.body.uuid}`).set('Authorization', auth).send({ waitlist_enabled: true });
    expect(patched.status).toBe(200);
    expect(patched.body.waitlist_enabled).toBe(true);
    expect((await api.get(`/api/events/${created.body.uuid}`).set('Authorization', auth)).body.waitlist_enabled).toBe(true);
    expectProblem(await api.patch(`/api/events/${created.body.uuid}`).set('Authorization', auth).send({ waitlist_enabled: 'yes' }), 400, 'waitlist_enabled');
  });
});

describe('waitlist: host list, remove, requester position and cancel', () => {
  it('the host lists the waitlist in order with positions, page by page; strangers get 404', async () => {
    const api = await http_();
    const { event, requests, host } = await fullEvent({ n: 5 });
    await waitlistAll(api, event, requests, host);
    const first = await api.get(`/api/events/${event.uuid}/waitlist?page_size=2`).set('Authorization', host);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { uuid: string; waitlist_position: number }) => [r.uuid, r.waitlist_position]))
      .toEqual([[requests[0]!.uuid, 1], [requests[1]!.uuid, 2]]);
    const pages = [first.body];
    while (pages.at(-1).next) {
      const page = await api.get(`/api/events/${event.slug}/waitlist?page_size=2&cursor=${pages.at(-1).next}`).set('Authorization', host);
      expect(page.status).toBe(200);
      pages.push(page.body);
    }
    const all = pages.flatMap((p) => p.results);
    expect(all.map((r) => r.uuid)).toEqual(requests.map((r) => r.uuid));
    expect(all.map((r) => r.waitlist_position)).toEqual([1, 2, 3, 4, 5]);
    expect(all.every((r) => r.status === 'waitlisted')).toBe(true);

    expect((await api.get(`/api/events/${event.uuid}/waitlist`).set('Authorization', await bearer(await buildStaff()))).status).toBe(200);
    for (const who of [await buildUser(), requests[0]!.requester]) {
      expectProblem(await api.get(`/api/events/${event.uuid}/waitlist`).set('Authorization', await bearer(who)), 404);
    }
    expectProblem(await api.get(`/api/events/${event.uuid}/waitlist`), 401);
    expectProblem(await api.get(`/api/events/${event.uuid}/waitlist?cursor=garbage`).set('Authorization', host), 400, 'cursor');
    expectProblem(await api.get(`/api/events/${event.uuid}/waitlist?page_size=0`).set('Authorization', host), 400, 'page_size');
    expectProblem(await api.get(`/api/events/no-such-event/waitlist`).set('Authorization', host), 404);
  });

  it('the requester sees their position in GET /requests; leaving the waitlist moves those behind up', async () => {
    const api = await http_();
    const { event, requests, host } = await fullEvent({ n: 3 });
    await waitlistAll(api, event, requests, host);
    const third = await bearer(requests[2]!.requester);
    const mine = await api.get('/api/requests').set('Authorization', third);
    expect(mine.body.results).toEqual([expect.objectContaining({ uuid: requests[2]!.uuid, status: 'waitlisted', waitlist_position: 3 })]);
    expect((await api.get('/api/requests?status=waitlisted').set('Authorization', third)).body.results).toHaveLength(1);

    const cancel = await api.post(`/api/requests/${requests[0]!.uuid}/cancel`).set('Authorization', await bearer(requests[0]!.requester));
    expect(cancel.status).toBe(200);
    expect(cancel.body).toMatchObject({ status: 'cancelled', waitlist_position: null });
    expect((await api.get('/api/requests').set('Authorization', third)).body.results[0].waitlist_position).toBe(2);
    expect((await EventRequest.findByPk(requests[0]!.id))!.waitlist_seq).toBeNull();
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, pending: 0 });
    // Not someone else's, and not twice.
    expectProblem(await api.post(`/api/requests/${requests[1]!.uuid}/cancel`).set('Authorization', third), 404);
    expectProblem(await api.post(`/api/requests/${requests[0]!.uuid}/cancel`).set('Authorization', await bearer(requests[0]!.requester)), 409);
  });

  it('the host removes an entry: declined, the requester told, audited; strangers 404, twice 409', async () => {
    const api = await http_();
    const { event, requests, host } = await fullEvent({ n: 3 });
    await waitlistAll(api, event, requests, host);
    const removed = await api.post(`/api/events/${event.uuid}/waitlist/${requests[1]!.uuid}/remove`).set('Authorization', host)
      .send({ host_message: 'Sorry, we are keeping it small' });
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({ uuid: requests[1]!.uuid, status: 'declined', waitlist_position: null, host_message: 'Sorry, we are keeping it small' });
    const told = await Notification.findOne({ where: { recipient_id: requests[1]!.requester_id, title: `You were taken off the waitlist for ${event.title}` } });
    expect(told?.email_status).toBe('pending');
    expect(await AuditLog.count({ where: { command: 'joining.waitlist.remove', object_uuid: requests[1]!.uuid } })).toBe(1);
    const list = await api.get(`/api/events/${event.uuid}/waitlist`).set('Authorization', host);
    expect(list.body.results.map((r: { uuid: string; waitlist_position: number }) => [r.uuid, r.waitlist_position]))
      .toEqual([[requests[0]!.uuid, 1], [requests[2]!.uuid, 2]]);

    expectProblem(await api.post(`/api/events/${event.uuid}/waitlist/${requests[1]!.uuid}/remove`).set('Authorization', host).send({}), 409);
    const stranger = await bearer(await buildUser());
    expectProblem(await api.post(`/api/events/${event.uuid}/waitlist/${requests[0]!.uuid}/remove`).set('Authorization', stranger).send({}), 404);
    expectProblem(await api.post(`/api/events/${event.uuid}/waitlist/not-a-uuid/remove`).set('Authorization', host).send({}), 404);
    const other = await buildEvent({ host: event.host });
    expectProblem(await api.post(`/api/events/${other.uuid}/waitlist/${requests[0]!.uuid}/remove`).set('Authorization', host).send({}), 404);
    expectProblem(await api.post(`/api/events/${event.uuid}/waitlist/${requests[0]!.uuid}/remove`).set('Authorization', host)
      .send({ host_message: 42 }), 400, 'host_message');
    expect((await EventRequest.findByPk(requests[0]!.id))!.status).toBe('waitlisted');
  });

  it('cancelling the event clears the waitlist (expired) and tells the waiting', async () => {
    const api = await http_();
    const { event, requests, host } = await fullEvent({ n: 2 });
    await waitlistAll(api, event, requests, host);
    const res = await api.post(`/api/events/${event.uuid}/cancel`).set('Authorization', host).send({ reason: 'rain' });
    expect(res.status).toBe(200);
    const rows = await EventRequest.findAll({ where: { event_id: event.id } });
    expect(rows.map((r) => [r.status, r.waitlist_seq])).toEqual([['expired', null], ['expired', null]]);
    expect(await Notification.count({ where: { recipient_id: requests.map((r) => r.requester_id), type: 'event_cancelled' } })).toBe(2);
  });
});

describe('waitlist: admission', () => {
  it('free event: a cancelled attendance admits the first waitlisted request as going, with ticket, notice and audit', async () => {
    const api = await http_();
    const { event, going, requests, host } = await fullEvent({ n: 3 });
    await waitlistAll(api, event, requests, host);
    const res = await api.post(`/api/events/${event.uuid}/attendees/${going[0]!.attendee.uuid}/cancel`).set('Authorization', await bearer(going[0]!.user));
    expect(res.status).toBe(200);
    const first = (await EventRequest.findByPk(requests[0]!.id))!;
    expect([first.status, first.waitlist_seq]).toEqual(['accepted', null]);
    const attendee = (await EventAttendee.findOne({ where: { event_id: event.id, user_id: requests[0]!.requester_id } }))!;
    expect([attendee.status, attendee.request_id]).toEqual(['going', first.id]);
    expect(await recount(event.id)).toMatchObject({ going_count: 2, going: 2, going_records: 2, held: 0 });
    expect(await AuditLog.count({ where: { command: 'joining.waitlist.admit', object_uuid: first.uuid } })).toBe(1);
    const notice = (await Notification.findOne({ where: { recipient_id: first.requester_id, title: `A place opened up: you're going to ${event.title}` } }))!;
    expect(notice.email_status).toBe('pending');
    const positions = (await api.get(`/api/events/${event.uuid}/waitlist`).set('Authorization', host)).body.results
      .map((r: { waitlist_position: number }) => r.waitlist_position);
    expect(positions).toEqual([1, 2]);
  });

  it('paid event: a freed seat becomes a hold for the first waitlisted, with an email "your seat is held until …"', async () => {
    const api = await http_();
    const { event, going, host } = await fullEvent({ n: 0, paid: true });
    const requests = [await buildRequest({ event, requester: await buildUser({ email: `wait-${Date.now()}@example.test` }) }), await buildRequest({ event })];
    await waitlistAll(api, event, requests, host);
    const staff = createContext({ source: 'api', actor: { id: (await buildStaff()).id, uuid: 'x', is_staff: true, is_superuser: false } });
    const { cancelAttendee } = await import('../../src/modules/joining/commands/index.js');
    await cancelAttendee(staff, { attendeeUuid: going[1]!.attendee.uuid });
    const hold = (await CapacityReservation.findOne({ where: { event_id: event.id, user_id: requests[0]!.requester_id } }))!;
    expect(hold).toMatchObject({ seats_reserved: 1, consumed: false, released_at: null, request_id: requests[0]!.id });
    expect(hold.expires_at.getTime() - clock.now().getTime()).toBeGreaterThan(14 * MINUTE);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, held: 1 });
    const notice = (await Notification.findOne({ where: { recipient_id: requests[0]!.requester_id, title: `A seat opened up at ${event.title}` } }))!;
    expect(notice.email_status).toBe('pending');
    expect(notice.metadata).toMatchObject({ template: 'waitlist_hold', held_until: hold.expires_at.toISOString() });
    // Emailed after commit by the outbox, like every notification email.
    const smtp = await startSmtp();
    try {
      await deliverDueEmails(systemContext('job'), { batchSize: 500 });
      const mail = smtp.received.find((m) => m.messageId === `<${notice.uuid}@loopin>`);
      expect(mail?.subject).toBe(`Your seat is held until ${hold.expires_at.toISOString()}: ${event.title}`);
      expect(mail?.text).toContain(`Your seat is held until ${hold.expires_at.toISOString()}`);
      expect(mail?.text).toContain(`Held until: ${hold.expires_at.toISOString()}`);
    } finally {
      await smtp.close();
    }
    // The holder can pay for it like any hold.
    const placed = await api.post('/api/payments/orders').set('Authorization', await bearer(requests[0]!.requester))
      .send({ event: event.uuid, reservation_key: hold.reservation_key, provider: 'cash' });
    expect([201, 503]).toContain(placed.status);
  });

  it('strict FIFO: a head asking for more seats than are free waits; "Admit now" admits a later one out of turn or says why not', async () => {
    const api = await http_();
    const { event, going, host } = await fullEvent({ n: 0, plusOne: true, capacity: 2 });
    const pair = await buildRequest({ event, seats_requested: 2 });
    const single = await buildRequest({ event });
    await waitlistAll(api, event, [pair, single], host);
    const hostCtx = createContext({ source: 'admin', actor: { id: event.host_id, uuid: event.host.uuid, is_staff: false, is_superuser: false } });
    await expect(admitNow(hostCtx, { requestUuid: single.uuid })).rejects.toMatchObject({ status: 409, message: expect.stringMatching(/^No seat is free/) });
    await api.post(`/api/events/${event.uuid}/attendees/${going[0]!.attendee.uuid}/cancel`).set('Authorization', host);
    // One seat free: the 2-seat head blocks, nobody is admitted automatically.
    expect((await EventRequest.findByPk(pair.id))!.status).toBe('waitlisted');
    expect((await EventRequest.findByPk(single.id))!.status).toBe('waitlisted');
    const admitted = await admitNow(hostCtx, { requestUuid: single.uuid });
    expect(admitted.attendee?.status).toBe('going');
    expect(await AuditLog.count({ where: { command: 'joining.waitlist.admit_now', object_uuid: single.uuid } })).toBe(1);
    expect(await recount(event.id)).toMatchObject({ going_count: 2, going: 2 });
    await expect(admitNow(hostCtx, { requestUuid: single.uuid })).rejects.toMatchObject({ status: 409 });
    const stranger = createContext({ source: 'admin', actor: { id: (await buildUser()).id, uuid: 'y', is_staff: false, is_superuser: false } });
    await expect(admitNow(stranger, { requestUuid: pair.uuid })).rejects.toMatchObject({ status: 403 });
    await expect(admitNow(hostCtx, { requestUuid: 'nope' })).rejects.toMatchObject({ status: 404 });
  });

  it('a read that notices an expired hold admits at once (the host lists the waitlist before any sweep)', async () => {
    const api = await http_();
    const event = await buildPaidEvent({ max_capacity: 1, waitlist_enabled: true });
    const holder = await buildUser();
    await buildReservation({ event, user: holder, expires_at: new Date(clock.now().getTime() + 5 * MINUTE) });
    const host = await bearer(event.host);
    const request = await buildRequest({ event });
    expect((await accept(api, event, request.uuid, host)).body).toMatchObject({ status: 'waitlisted', waitlist_position: 1 });
    clock.advance(6 * MINUTE);
    const list = await api.get(`/api/events/${event.uuid}/waitlist`).set('Authorization', host);
    expect(list.body.results).toEqual([]);
    expect((await EventRequest.findByPk(request.id))!.status).toBe('accepted');
    expect((await CapacityReservation.findOne({ where: { event_id: event.id, user_id: holder.id } }))!.released_at).not.toBeNull();
    expect(await AuditLog.count({ where: { command: 'joining.reservation.expire' } })).toBeGreaterThan(0);
    expect(await recount(event.id)).toMatchObject({ held: 1 });
  });

  it('the expire-orders job, a hold given back and a re-published event admit too, in order', async () => {
    const api = await http_();
    const event = await buildPaidEvent({ max_capacity: 3, waitlist_enabled: true });
    const holds = await Promise.all([0, 1, 2].map(async () => buildReservation({ event, user: await buildUser() })));
    const unpaid = await buildOrder({ event, user: (await User.findByPk(holds[0]!.user_id))!, reservation_id: holds[0]!.id,
      expires_at: new Date(clock.now().getTime() + MINUTE) });
    const requests = [await buildRequest({ event }), await buildRequest({ event }), await buildRequest({ event })];
    const host = await bearer(event.host);
    await waitlistAll(api, event, requests, host);
    clock.advance(2 * MINUTE);
    expect(await expireOrders(systemContext('job'))).toMatchObject({ expired: 1, holds_released: 1 });
    expect((await unpaid.reload()).status).toBe('cancelled');
    expect((await EventRequest.findByPk(requests[0]!.id))!.status).toBe('accepted');

    const holderCtx = (userId: number) => createContext({ source: 'api', actor: { id: userId, uuid: 'h', is_staff: false, is_superuser: false } });
    const released = await releaseReservation(holderCtx(holds[2]!.user_id), { reservationKey: holds[2]!.reservation_key });
    expect(released.released_at).not.toBeNull();
    expect((await EventRequest.findByPk(requests[1]!.id))!.status).toBe('accepted');
    // Postponed events admit nobody; published again, the seat freed meanwhile goes to the next in line.
    expect((await api.post(`/api/events/${event.uuid}/postpone`).set('Authorization', host)).status).toBe(200);
    await releaseReservation(holderCtx(holds[1]!.user_id), { reservationKey: holds[1]!.reservation_key });
    expect((await EventRequest.findByPk(requests[2]!.id))!.status).toBe('waitlisted');
    expect((await api.post(`/api/events/${event.uuid}/publish`).set('Authorization', host)).status).toBe(200);
    expect((await EventRequest.findByPk(requests[2]!.id))!.status).toBe('accepted');
    expect(await recount(event.id)).toMatchObject({ held: 3, going: 0 });
  });

  it('an accept that finds seats freed meanwhile admits instead of waitlisting behind nobody', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 1, waitlist_enabled: true });
    const request = await buildRequest({ event });
    const res = await accept(api, event, request.uuid, await bearer(event.host));
    expect(res.status).toBe(200);
    expect(res.body.attendee).toMatchObject({ status: 'going' });
    expect(res.body.request.waitlist_position).toBeNull();
  });
});
