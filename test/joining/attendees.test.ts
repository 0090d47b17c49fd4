import { afterAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildStaff, buildUser } from '../support/factories.js';
import { AttendanceRecord, AuditLog, Notification } from '../../src/models/index.js';
import { closeServer, http_, recount, statuses } from './helpers.js';

afterAll(closeServer);

const post = async (path: string, user: { uuid: string }) => (await http_()).post(path).set('Authorization', await bearer(user)).send({});
const get = async (path: string, user: { uuid: string }) => (await http_()).get(path).set('Authorization', await bearer(user));

describe('attendees', () => {
  it('the host lists attendees with profile name, seats, paid and status, in keyset pages', async () => {
    const event = await buildEvent();
    const a = await buildAttendee({ event, user: await buildUser({ profile: { name: 'Kiran' } }), seats: 2 });
    const b = await buildAttendee({ event, paid: true });
    const first = await get(`/api/events/${event.uuid}/attendees?page_size=1`, event.host);
    expect(first.status).toBe(200);
    expect(first.body.results).toEqual([expect.objectContaining({
      uuid: a.attendee.uuid, user: { uuid: a.user.uuid, name: 'Kiran' }, seats: 2, paid: false, price_paid: '0.00', status: 'going',
    })]);
    const second = await get(`/api/events/${event.uuid}/attendees?page_size=1&cursor=${first.body.next}`, event.host);
    expect(second.body.results.map((x: { uuid: string }) => x.uuid)).toEqual([b.attendee.uuid]);
    expect(second.body.next).toBeNull();
    expect((await get(`/api/events/${event.uuid}/attendees?status=going`, await buildStaff())).body.results).toHaveLength(2);
    expect((await get(`/api/events/${event.uuid}/attendees`, a.user)).status).toBe(403);
    expect((await get(`/api/events/${event.uuid}/attendees?page_size=abc`, event.host)).status).toBe(400);
    expect((await get('/api/events/00000000-0000-4000-8000-000000000000/attendees', event.host)).status).toBe(404);
  });

  it('an attendee cancels: seats freed at once, ticket cancelled, host notified, audited', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const { attendee, user } = await buildAttendee({ event, seats: 2 });
    const res = await post(`/api/events/${event.uuid}/attendees/${attendee.uuid}/cancel`, user);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uuid: attendee.uuid, status: 'not_going', seats: 2 });
    expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0, going_records: 0 });
    expect((await AttendanceRecord.findOne({ where: { attendee_id: attendee.id }, rejectOnEmpty: true })).status).toBe('cancelled');
    expect(await Notification.count({ where: { recipient_id: event.host_id, type: 'event_update' } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'joining.attendee.cancel', object_uuid: attendee.uuid } })).toBe(1);
    expect((await post(`/api/events/${event.uuid}/attendees/${attendee.uuid}/cancel`, user)).status).toBe(409);
  });

  it('the host cancels (status cancelled); strangers get 404; racing cancels free the seats once', async () => {
    const event = await buildEvent();
    const { attendee, user } = await buildAttendee({ event, seats: 1 });
    expect((await post(`/api/events/${event.uuid}/attendees/${attendee.uuid}/cancel`, await buildUser())).status).toBe(404);
    expect((await post(`/api/events/${event.uuid}/attendees/not-a-uuid/cancel`, event.host)).status).toBe(404);
    const other = await buildEvent();
    expect((await post(`/api/events/${other.uuid}/attendees/${attendee.uuid}/cancel`, event.host)).status).toBe(404);
    const token = await bearer(event.host);
    const api = await http_();
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      api.post(`/api/events/${event.uuid}/attendees/${attendee.uuid}/cancel`).set('Authorization', token).send({})));
    expect(statuses(results)).toEqual({ 200: 1, 409: 9 });
    expect(results.find((r) => r.status === 200)!.body.status).toBe('cancelled');
    expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0 });
    expect(await Notification.count({ where: { recipient_id: user.id, type: 'event_update' } })).toBe(1);
  });
});
