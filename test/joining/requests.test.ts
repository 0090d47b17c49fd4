import { afterAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildRequest, buildStaff, buildUser } from '../support/factories.js';
import { clock, DAY } from '../../src/lib/clock.js';
import { AuditLog, EventRequest, Notification } from '../../src/models/index.js';
import { closeServer, http_, recount } from './helpers.js';

afterAll(closeServer);

const post = async (path: string, user: { uuid: string } | null, body: unknown = {}) => {
  const req = (await http_()).post(path).send(body as object);
  return user ? req.set('Authorization', await bearer(user)) : req;
};
const get = async (path: string, user: { uuid: string }) => (await http_()).get(path).set('Authorization', await bearer(user));

describe('POST /events/{event}/requests', () => {
  it('creates a pending request, counts it, tells the host and audits it', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const user = await buildUser({ profile: { name: 'Asha Rao' } });
    const res = await post(`/api/events/${event.slug}/requests`, user, { message: 'Hi!', seats_requested: 1 });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'pending', message: 'Hi!', seats_requested: 1, host_message: null,
      event: { uuid: event.uuid, slug: event.slug }, requester: { uuid: user.uuid, name: 'Asha Rao' },
    });
    expect(res.body).not.toHaveProperty('id');
    expect(await recount(event.id)).toMatchObject({ requests_count: 1, pending: 1 });
    const row = await EventRequest.findOne({ where: { uuid: res.body.uuid }, rejectOnEmpty: true });
    expect(await Notification.count({ where: { recipient_id: event.host_id, type: 'event_request', reference_id: row.id } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'joining.request.create', object_uuid: res.body.uuid } })).toBe(1);
  });

  it('refuses a second pending request by the same user (409)', async () => {
    const event = await buildEvent();
    const user = await buildUser();
    expect((await post(`/api/events/${event.uuid}/requests`, user)).status).toBe(201);
    const again = await post(`/api/events/${event.uuid}/requests`, user);
    expect(again.status).toBe(409);
    expect(again.headers['content-type']).toContain('application/problem+json');
    expect(await recount(event.id)).toMatchObject({ requests_count: 1, pending: 1 });
  });

  it('refuses a full event (409), counting live holds as taken', async () => {
    const event = await buildEvent({ max_capacity: 1 });
    await buildAttendee({ event });
    const res = await post(`/api/events/${event.uuid}/requests`, await buildUser());
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('Event is full');
    expect(await EventRequest.count({ where: { event_id: event.id } })).toBe(0);
  });

  it.each([
    ['male', 'male', 201], ['male', 'female', 403], ['female', 'female', 201], ['female', 'other', 403],
    ['non_binary', 'other', 201], ['non_binary', 'male', 403], ['male', 'prefer_not_to_say', 403], ['all', 'prefer_not_to_say', 201],
  ] as const)('allowed_genders %s, requester %s → %i', async (allowed, gender, status) => {
    const event = await buildEvent({ allowed_genders: allowed });
    const res = await post(`/api/events/${event.uuid}/requests`, await buildUser({ profile: { gender } }));
    expect(res.status).toBe(status);
    expect(await EventRequest.count({ where: { event_id: event.id } })).toBe(status === 201 ? 1 : 0);
  });

  it('refuses the host (403), closed events (409) and drafts it cannot see (404)', async () => {
    const event = await buildEvent();
    expect((await post(`/api/events/${event.uuid}/requests`, event.host)).status).toBe(403);
    const cancelled = await buildEvent({ status: 'cancelled' });
    expect((await post(`/api/events/${cancelled.uuid}/requests`, await buildUser())).status).toBe(409);
    const past = await buildEvent({ start_time: new Date(clock.now().getTime() - DAY) });
    expect((await post(`/api/events/${past.uuid}/requests`, await buildUser())).status).toBe(409);
    const draft = await buildEvent({ status: 'draft' });
    expect((await post(`/api/events/${draft.uuid}/requests`, await buildUser())).status).toBe(404);
    expect((await post('/api/events/no-such-event/requests', await buildUser())).status).toBe(404);
    expect((await post(`/api/events/${'x'.repeat(400)}/requests`, await buildUser())).status).toBe(404);
    expect((await post(`/api/events/${event.uuid.toUpperCase()}/requests`, await buildUser())).status).toBe(201);
  });

  it('allows two seats only with a plus-one, and names the field otherwise', async () => {
    const single = await buildEvent();
    const res = await post(`/api/events/${single.uuid}/requests`, await buildUser(), { seats_requested: 2 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].field).toBe('seats_requested');
    const plusOne = await buildEvent({ allow_plus_one: true });
    const ok = await post(`/api/events/${plusOne.uuid}/requests`, await buildUser(), { seats_requested: 2 });
    expect(ok.status).toBe(201);
    expect(ok.body.seats_requested).toBe(2);
  });

  it.each([
    [{ seats_requested: 0 }, 'seats_requested'], [{ seats_requested: 3 }, 'seats_requested'], [{ seats_requested: '1' }, 'seats_requested'],
    [{ seats_requested: 1.5 }, 'seats_requested'], [{ message: 42 }, 'message'], [{ message: 'x'.repeat(1001) }, 'message'],
  ])('bad input %j → 400 naming %s, nothing written', async (body, field) => {
    const event = await buildEvent({ allow_plus_one: true });
    const res = await post(`/api/events/${event.uuid}/requests`, await buildUser(), body);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, pending: 0 });
  });

  it('needs a token (401)', async () => {
    const event = await buildEvent();
    expect((await post(`/api/events/${event.uuid}/requests`, null)).status).toBe(401);
  });
});

describe('accept, decline, cancel', () => {
  it('accept on a free event: attendee + ticket + counters + notification, host_message kept', async () => {
    const event = await buildEvent({ max_capacity: 3, allow_plus_one: true });
    const request = await buildRequest({ event, seats_requested: 2 });
    const res = await post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`, event.host, { host_message: 'Welcome' });
    expect(res.status).toBe(200);
    expect(res.body.request).toMatchObject({ status: 'accepted', host_message: 'Welcome' });
    expect(res.body.attendee).toMatchObject({ seats: 2, status: 'going', paid: false, price_paid: '0.00', user: { uuid: request.requester.uuid } });
    expect(res.body.reservation).toBeNull();
    expect(await recount(event.id)).toMatchObject({ going_count: 2, going: 2, going_records: 2, requests_count: 0, pending: 0 });
    const n = await Notification.findOne({ where: { recipient_id: request.requester_id, type: 'event_request' }, rejectOnEmpty: true });
    expect(n.metadata).toMatchObject({ host_message: 'Welcome' });
    expect(await AuditLog.count({ where: { command: 'joining.request.accept', object_uuid: request.uuid } })).toBe(1);
  });

  it('only the host or staff may accept/decline (the requester 403); an unknown or foreign request is 404', async () => {
    const event = await buildEvent();
    const request = await buildRequest({ event });
    // A stranger does not know the request exists: 404, not 403 (issue 15).
    expect((await post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`, await buildUser())).status).toBe(404);
    expect((await post(`/api/events/${event.uuid}/requests/${request.uuid}/decline`, request.requester)).status).toBe(403);
    const other = await buildEvent({ host: event.host });
    expect((await post(`/api/events/${other.uuid}/requests/${request.uuid}/accept`, event.host)).status).toBe(404);
    expect((await post(`/api/events/${event.uuid}/requests/not-a-uuid/accept`, event.host)).status).toBe(404);
    expect((await post(`/api/events/${event.uuid}/requests/00000000-0000-4000-8000-000000000000/accept`, event.host)).status).toBe(404);
    const staff = await buildStaff();
    const res = await post(`/api/events/${event.uuid}/requests/${request.uuid}/decline`, staff, { host_message: 'Sorry' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'declined', host_message: 'Sorry' });
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, going_count: 0 });
  });

  it('a decided request cannot be decided again (409) and bad host_message is 400 changing nothing', async () => {
    const event = await buildEvent();
    const request = await buildRequest({ event });
    const bad = await post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`, event.host, { host_message: ['x'] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('host_message');
    expect((await request.reload()).status).toBe('pending');
    const badDecline = await post(`/api/events/${event.uuid}/requests/${request.uuid}/decline`, event.host, { host_message: 'y'.repeat(1001) });
    expect(badDecline.status).toBe(400);
    expect((await post(`/api/events/${event.uuid}/requests/${request.uuid}/decline`, event.host)).status).toBe(200);
    expect((await post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`, event.host)).status).toBe(409);
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, going_count: 0 });
  });

  it('the requester cancels their own pending request; others get 404', async () => {
    const event = await buildEvent();
    const request = await buildRequest({ event });
    expect((await post(`/api/requests/${request.uuid}/cancel`, await buildUser())).status).toBe(404);
    expect((await post(`/api/requests/${request.uuid}/cancel`, event.host)).status).toBe(404);
    expect((await post('/api/requests/123/cancel', request.requester)).status).toBe(404);
    const res = await post(`/api/requests/${request.uuid}/cancel`, request.requester);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('cancelled');
    expect((await post(`/api/requests/${request.uuid}/cancel`, request.requester)).status).toBe(409);
    expect(await recount(event.id)).toMatchObject({ requests_count: 0, pending: 0 });
    // A new request is allowed once the old one is no longer pending.
    expect((await post(`/api/events/${event.uuid}/requests`, request.requester)).status).toBe(201);
  });

  it('an attendee cannot request again (409)', async () => {
    const { event, user } = await buildAttendee();
    expect((await post(`/api/events/${event.uuid}/requests`, user)).status).toBe(409);
  });
});

describe('request lists', () => {
  it('host lists by status with keyset pages; others 403; bad query 400', async () => {
    const event = await buildEvent();
    const made = [];
    for (let i = 0; i < 5; i++) made.push(await buildRequest({ event }));
    await post(`/api/events/${event.uuid}/requests/${made[0]!.uuid}/decline`, event.host);
    const first = await get(`/api/events/${event.uuid}/requests?status=pending&page_size=2`, event.host);
    expect(first.status).toBe(200);
    expect(first.body.results.map((r: { uuid: string }) => r.uuid)).toEqual([made[1]!.uuid, made[2]!.uuid]);
    const second = await get(`/api/events/${event.uuid}/requests?status=pending&page_size=2&cursor=${first.body.next}`, event.host);
    expect(second.body.results.map((r: { uuid: string }) => r.uuid)).toEqual([made[3]!.uuid, made[4]!.uuid]);
    expect(second.body.next).toBeNull();
    expect((await get(`/api/events/${event.uuid}/requests`, made[1]!.requester)).status).toBe(403);
    for (const q of ['status=maybe', 'page_size=0', 'page_size=101', 'cursor=%%%']) {
      const res = await get(`/api/events/${event.uuid}/requests?${q}`, event.host);
      expect(res.status).toBe(400);
      expect(res.body.errors[0].field).toMatch(/status|page_size|cursor/);
    }
  });

  it('GET /requests lists only mine, newest first', async () => {
    const me = await buildUser();
    const a = await buildRequest({ requester: me });
    const b = await buildRequest({ requester: me });
    await buildRequest();
    const res = await get('/api/requests', me);
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: { uuid: string }) => r.uuid)).toEqual([b.uuid, a.uuid]);
    expect(res.body.next).toBeNull();
  });
});
