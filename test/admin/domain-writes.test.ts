import { QueryTypes } from 'sequelize';
import { beforeAll, describe, expect, it } from 'vitest';
import { adminResources } from '../../src/admin/admin.js';
import { LoopinResource } from '../../src/admin/resource.js';
import { sequelize } from '../../src/db/connection.js';
import { AuditLog, type AuthUser, EventImage, EventInterestMap, EventRequest } from '../../src/models/index.js';
import { MAX_EVENT_IMAGES } from '../../src/modules/events/commands/index.js';
import { buildAttendee, buildEvent, buildNotification, buildRequest, buildUser, interest } from '../support/factories.js';
import { buildImage } from '../support/more-factories.js';
import { seedEveryTable } from './fixtures.js';
import { staffAgent, type Agent } from './support.js';

/**
 * The panel cannot bypass the domain: every write goes through the command that owns it (with
 * the API's rules), and a resource whose writes no command owns offers none. Each refusal is
 * checked through AdminJS's HTTP API and against the rows themselves.
 */
// The sealer links audit rows into the hash chain after commit, so for audit_log only which rows exist counts.
const rowsOf = async (table: string) => JSON.stringify(await sequelize().query(
  `select ${table === 'audit_log' ? 'id, command, action' : '*'} from ${table} order by id`, { type: QueryTypes.SELECT },
));

async function unchanged(tables: string[], act: () => Promise<void>): Promise<void> {
  const before = await Promise.all(tables.map(rowsOf));
  await act();
  expect(await Promise.all(tables.map(rowsOf))).toEqual(before);
}

/** A refusal as AdminJS shows it: an error notice (and field errors when the command named one). */
function refused(res: { body: { notice?: { type?: string; message?: string } } }) {
  expect(res.body.notice?.type, JSON.stringify(res.body)).toBe('error');
}

let staff: Agent;
let staffUser: AuthUser;
beforeAll(async () => {
  ({ agent: staff, staff: staffUser } = await staffAgent());
});

describe('resources no command owns are read-only', () => {
  const READ_ONLY = ['event_interest', 'user_profile_interest', 'event_invite', 'event_attendee', 'attendance_record', 'notification'];

  beforeAll(async () => {
    await seedEveryTable();
  });

  it.each(READ_ONLY)('%s: no new, edit or delete, and the rows stay as they were', async (id) => {
    const list = await staff.get(`/admin/api/resources/${id}/actions/list`);
    const record = list.body.records[0];
    expect(record, id).toBeDefined();
    const names = (record.recordActions as { name: string }[]).map((a) => a.name);
    expect(names).not.toContain('edit');
    expect(names).not.toContain('delete');
    await unchanged([id], async () => {
      const created = await staff.post(`/admin/api/resources/${id}/actions/new`).type('form').send({ title: 'Injected', name: 'Injected' });
      expect(created.body.notice?.message).toBe('forbiddenError');
      const edited = await staff.post(`/admin/api/resources/${id}/records/${record.id}/edit`).type('form')
        .send({ title: 'Edited', message: 'Edited', notes: 'Edited', ticket_type: 'vip', name: 'Edited', is_read: 'true' });
      expect(edited.body.notice?.message).toBe('forbiddenError');
      const deleted = await staff.post(`/admin/api/resources/${id}/records/${record.id}/delete`);
      expect(deleted.body.notice?.message).toBe('forbiddenError');
    });
  });

  it('refuses a write no command owns even when called on the resource itself', async () => {
    const notification = adminResources().find((r) => (r.resource as LoopinResource).id() === 'notification')!.resource as LoopinResource;
    const row = await buildNotification({ recipient: await buildUser() });
    const ctx = { loopin: { transaction: {} } } as never;
    await expect(notification.update(String(row.id), { title: 'x' }, ctx)).rejects.toMatchObject({
      baseError: { message: 'notification cannot be updated in the panel: no command owns this write' },
    });
  });
});

describe('event images go through the image commands', () => {
  it('adds at the end, moves with dense positions, removes and renumbers, all audited', async () => {
    const event = await buildEvent();
    const a = await buildImage({ event, position: 0, image_url: 'https://img.example/a.jpg' });
    const b = await buildImage({ event, position: 1, image_url: 'https://img.example/b.jpg' });
    const added = await staff.post('/admin/api/resources/event_image/actions/new').type('form')
      .send({ event_id: String(event.id), image_url: 'https://img.example/c.jpg', position: '0' });
    expect(added.body.notice?.type, JSON.stringify(added.body)).toBe('success');
    const order = async () => (await EventImage.findAll({ where: { event_id: event.id }, order: [['position', 'ASC']] }))
      .map((i) => [i.image_url.slice(-5), i.position]);
    expect(await order()).toEqual([['c.jpg', 0], ['a.jpg', 1], ['b.jpg', 2]]);

    const moved = await staff.post(`/admin/api/resources/event_image/records/${b.id}/edit`).type('form').send({ position: '0' });
    expect(moved.body.notice?.type).toBe('success');
    expect(await order()).toEqual([['b.jpg', 0], ['c.jpg', 1], ['a.jpg', 2]]);

    await staff.post(`/admin/api/resources/event_image/records/${b.id}/delete`);
    expect(await order()).toEqual([['c.jpg', 0], ['a.jpg', 1]]);
    const commands = (await AuditLog.findAll({ where: { actor_user_id: staffUser.id }, order: [['id', 'ASC']] })).map((r) => r.command);
    expect(commands).toEqual(expect.arrayContaining(['events.add_image', 'events.reorder_images', 'events.remove_image']));
    expect(a.id).toBeDefined();
  });

  it('refuses the 21st image, a position out of range, a changed url and a bad url, changing nothing', async () => {
    const event = await buildEvent();
    for (let i = 0; i < MAX_EVENT_IMAGES; i++) await buildImage({ event, position: i });
    const first = (await EventImage.findOne({ where: { event_id: event.id, position: 0 } }))!;
    await unchanged(['event_image', 'audit_log'], async () => {
      refused(await staff.post('/admin/api/resources/event_image/actions/new').type('form')
        .send({ event_id: String(event.id), image_url: 'https://img.example/too-many.jpg' }));
      const far = await staff.post(`/admin/api/resources/event_image/records/${first.id}/edit`).type('form').send({ position: '20' });
      refused(far);
      expect(far.body.record.errors.position).toBeDefined();
      const url = await staff.post(`/admin/api/resources/event_image/records/${first.id}/edit`).type('form').send({ image_url: 'https://img.example/other.jpg' });
      refused(url);
      expect(url.body.record.errors.image_url).toBeDefined();
      refused(await staff.post('/admin/api/resources/event_image/actions/new').type('form')
        .send({ event_id: String((await buildEvent()).id), image_url: 'javascript:alert(1)' }));
    });
  });
});

describe('event interests go through updateEvent', () => {
  it('adds and removes an interest, audited as an event update', async () => {
    const event = await buildEvent({ interests: ['music', 'food'] });
    const art = await interest('art');
    const res = await staff.post('/admin/api/resources/event_interest_map/actions/new').type('form')
      .send({ event_id: String(event.id), eventinterest_id: String(art.id) });
    expect(res.body.notice?.type, JSON.stringify(res.body)).toBe('success');
    expect(await EventInterestMap.count({ where: { event_id: event.id } })).toBe(3);
    const link = (await EventInterestMap.findOne({ where: { event_id: event.id, eventinterest_id: art.id } }))!;
    await staff.post(`/admin/api/resources/event_interest_map/records/${link.id}/delete`);
    expect(await EventInterestMap.count({ where: { event_id: event.id } })).toBe(2);
    expect(await AuditLog.count({ where: { command: 'events.update', object_id: event.id } })).toBe(2);
  });

  it('refuses a sixth interest, a repeated one and removing the last, changing nothing', async () => {
    const full = await buildEvent({ interests: ['music', 'food', 'art', 'sports', 'tech'] });
    const lone = await buildEvent({ interests: ['music'] });
    const extra = await interest('travel');
    const music = await interest('music');
    await unchanged(['event_interest_map', 'audit_log'], async () => {
      refused(await staff.post('/admin/api/resources/event_interest_map/actions/new').type('form')
        .send({ event_id: String(full.id), eventinterest_id: String(extra.id) }));
      refused(await staff.post('/admin/api/resources/event_interest_map/actions/new').type('form')
        .send({ event_id: String(lone.id), eventinterest_id: String(music.id) }));
      const last = (await EventInterestMap.findOne({ where: { event_id: lone.id } }))!;
      refused(await staff.post(`/admin/api/resources/event_interest_map/records/${last.id}/delete`));
      const edit = await staff.post(`/admin/api/resources/event_interest_map/records/${last.id}/edit`).type('form')
        .send({ eventinterest_id: String(extra.id) });
      expect(edit.body.notice?.message).toBe('forbiddenError');
    });
  });
});

describe("a request's seats go through changeRequestSeats", () => {
  it('changes the seats within the limit, audited', async () => {
    const event = await buildEvent({ allow_plus_one: true, max_capacity: 10 });
    const request = await buildRequest({ event });
    const res = await staff.post(`/admin/api/resources/event_request/records/${request.id}/edit`).type('form').send({ seats_requested: '2' });
    expect(res.body.notice?.type, JSON.stringify(res.body)).toBe('success');
    expect((await request.reload()).seats_requested).toBe(2);
    expect(await AuditLog.count({ where: { command: 'joining.request.change_seats', object_id: request.id } })).toBe(1);
  });

  it("refuses more than the event's limit, more than fits, and an answered request, changing nothing", async () => {
    const single = await buildEvent({ allow_plus_one: false });
    const tooMany = await buildRequest({ event: single });
    const nearlyFull = await buildEvent({ allow_plus_one: true, max_capacity: 2 });
    await buildAttendee({ event: nearlyFull });
    const wontFit = await buildRequest({ event: nearlyFull });
    const answered = await buildRequest({ event: await buildEvent({ allow_plus_one: true }), status: 'declined' });
    await unchanged(['event_request', 'audit_log'], async () => {
      const over = await staff.post(`/admin/api/resources/event_request/records/${tooMany.id}/edit`).type('form').send({ seats_requested: '2' });
      refused(over);
      expect(over.body.record.errors.seats_requested).toBeDefined();
      refused(await staff.post(`/admin/api/resources/event_request/records/${wontFit.id}/edit`).type('form').send({ seats_requested: '2' }));
      refused(await staff.post(`/admin/api/resources/event_request/records/${answered.id}/edit`).type('form').send({ seats_requested: '2' }));
      refused(await staff.post(`/admin/api/resources/event_request/records/${tooMany.id}/edit`).type('form').send({ seats_requested: '0' }));
    });
    // The message fields are the requester's and host's words, never rewritten in the panel.
    const res = await staff.post(`/admin/api/resources/event_request/records/${tooMany.id}/edit`).type('form').send({ message: 'rewritten' });
    expect(res.body.notice?.type).toBe('success');
    expect((await EventRequest.findByPk(tooMany.id))!.message).not.toBe('rewritten');
  });
});
