import { beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, AuthUser, Notification, Venue } from '../../src/models/index.js';
import { verifyPassword } from '../../src/lib/password.js';
import { buildAttendee, buildEvent, buildUser, buildVenue } from '../support/factories.js';
import { SUPERUSER, staffAgent, superuserAgent, type Agent } from './support.js';

describe('panel edits are validated and audited', () => {
  let staff: { agent: Agent; staff: AuthUser };
  let superuser: Agent;
  beforeAll(async () => {
    superuser = await superuserAgent();
    staff = await staffAgent();
  });

  it('writes one audit row per edit with the staff actor, old and new values, ip and user agent', async () => {
    const venue = await buildVenue({ name: 'Old Hall', capacity: 100 });
    const res = await staff.agent.post(`/admin/api/resources/venue/records/${venue.id}/edit`)
      .type('form').send({ name: 'New Hall', capacity: '100', city: 'Pune', venue_type: 'indoor' });
    expect(res.status).toBe(200);
    expect(res.body.notice.type).toBe('success');
    expect((await venue.reload()).name).toBe('New Hall');

    const rows = await AuditLog.findAll({ where: { object_type: 'venue', object_id: venue.id } });
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.action).toBe('update');
    // The venue command did the write (the same one the API uses), from the panel's context.
    expect(row.command).toBe('venues.update');
    expect(row.actor_user_id).toBe(staff.staff.id);
    expect(row.object_uuid).toBe(venue.uuid);
    // Only what changed: capacity and city were sent unchanged.
    expect(row.old_values).toEqual({ name: 'Old Hall' });
    expect(row.new_values).toEqual({ name: 'New Hall' });
    expect(row.ip_address).toMatch(/127\.0\.0\.1|::1/);
    expect(row.user_agent).toBe('vitest-admin/1.0');
    expect(row.payload).toMatchObject({ source: 'admin' });
    expect(row.session_key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('audits creates and deletes too', async () => {
    const created = await staff.agent.post('/admin/api/resources/venue/actions/new')
      .type('form').send({ name: 'Fresh Venue', venue_type: 'outdoor', capacity: '20' });
    expect(created.body.notice.type).toBe('success');
    const id = Number(created.body.record.id);
    const create = await AuditLog.findOne({ where: { object_type: 'venue', object_id: id, action: 'create' } });
    expect(create?.new_values).toMatchObject({ name: 'Fresh Venue', venue_type: 'outdoor', capacity: 20 });

    const deleted = await staff.agent.post(`/admin/api/resources/venue/records/${id}/delete`);
    expect(deleted.body.notice.type).toBe('success');
    expect(await Venue.findByPk(id)).toBeNull();
    const del = await AuditLog.findOne({ where: { object_type: 'venue', object_id: id, action: 'delete' } });
    expect(del?.old_values).toMatchObject({ name: 'Fresh Venue' });
    expect(del?.actor_user_id).toBe(staff.staff.id);
  });

  it('turns a constraint violation into a form error, writes nothing and audits nothing', async () => {
    const venue = await buildVenue({ name: 'Strict Venue' });
    const before = await AuditLog.count();
    const res = await staff.agent.post(`/admin/api/resources/venue/records/${venue.id}/edit`)
      .type('form').send({ capacity: '-5' });
    expect(res.status).toBe(200);
    expect(res.body.notice.type).toBe('error');
    expect((await venue.reload()).capacity).toBe(100);
    expect(await AuditLog.count()).toBe(before);

    const bad = await staff.agent.post('/admin/api/resources/venue/actions/new').type('form').send({ venue_type: 'castle' });
    expect(bad.status).toBe(200);
    expect(bad.body.notice.type).toBe('error');
  });

  it('never writes keys or secrets sent in a form, nor lets a posted id redirect the write', async () => {
    const user = await buildUser();
    const other = await buildUser({ first_name: 'Bystander' });
    const res = await superuser.post(`/admin/api/resources/auth_user/records/${user.id}/edit`)
      .type('form').send({ first_name: 'Renamed', password: 'plain-text-password', id: String(other.id), uuid: '00000000-0000-4000-8000-000000000000' });
    expect(res.body.notice.type).toBe('success');
    await user.reload();
    expect(user.first_name).toBe('Renamed');
    expect(user.password).toBeNull();
    expect(user.uuid).not.toBe('00000000-0000-4000-8000-000000000000');
    expect((await other.reload()).first_name).toBe('Bystander');
  });

  it('lets staff edit a user\'s name but refuses is_staff, is_superuser and passwords, changing nothing', async () => {
    const user = await buildUser({ first_name: 'Plain' });
    const renamed = await staff.agent.post(`/admin/api/resources/auth_user/records/${user.id}/edit`)
      .type('form').send({ first_name: 'Edited', username: user.username, email: user.email ?? '' });
    expect(renamed.body.notice.type).toBe('success');
    expect((await user.reload()).first_name).toBe('Edited');
    for (const attempt of [{ is_staff: 'true' }, { is_superuser: 'true' }, { new_password: 'sneaky-password-1' }]) {
      const res = await staff.agent.post(`/admin/api/resources/auth_user/records/${user.id}/edit`)
        .type('form').send({ first_name: 'Again', ...attempt });
      expect(res.body.notice.type, JSON.stringify(attempt)).toBe('error');
      expect(Object.keys(res.body.record.errors)).toEqual(Object.keys(attempt));
    }
    await user.reload();
    expect(user.first_name).toBe('Edited');
    expect(user.is_staff).toBe(false);
    expect(user.is_superuser).toBe(false);
    expect(user.password).toBeNull();
  });

  it('lets a superuser grant staff and set a password (hashed; the audit row redacts it)', async () => {
    const user = await buildUser();
    const res = await superuser.post(`/admin/api/resources/auth_user/records/${user.id}/edit`)
      .type('form').send({ is_staff: 'true', new_password: 'brand-new-password', reauth_password: SUPERUSER.password });
    expect(res.body.notice.type).toBe('success');
    await user.reload();
    expect(user.is_staff).toBe(true);
    expect(await verifyPassword(user.password, 'brand-new-password')).toBe(true);
    const row = await AuditLog.findOne({ where: { object_type: 'auth_user', object_id: user.id } });
    expect(row?.action).toBe('password_change');
    expect(row?.severity).toBe('high');
    expect(row?.new_values).toEqual({ is_staff: true, password: '[redacted]' });
    expect(JSON.stringify(row?.toJSON())).not.toContain('$argon2');
  });

  it('hides the privilege fields from the staff edit form (rendered for superusers only)', async () => {
    const res = await staff.agent.get('/admin/api/resources/auth_user/actions/list');
    expect(res.status).toBe(200);
    // The resource declares the superuser-only edit component on those properties.
    const page = await staff.agent.get('/admin/resources/auth_user');
    expect(page.text).toContain('SuperuserField');
  });

  it('does not let staff delete users (superusers only)', async () => {
    const user = await buildUser();
    const res = await staff.agent.post(`/admin/api/resources/auth_user/records/${user.id}/delete`);
    expect(res.body.notice?.message).toBe('forbiddenError');
    expect(await AuthUser.findByPk(user.id)).not.toBeNull();
  });

  it('keeps event counters read-only', async () => {
    const event = await buildEvent({ title: 'Counter Event' });
    const res = await staff.agent.post(`/admin/api/resources/event/records/${event.id}/edit`)
      .type('form').send({ going_count: '50', requests_count: '7', status: 'cancelled', title: 'Counter Event Renamed' });
    expect(res.body.notice.type).toBe('success');
    await event.reload();
    expect(event.title).toBe('Counter Event Renamed');
    expect(event.going_count).toBe(0);
    expect(event.requests_count).toBe(0);
    expect(event.status).toBe('published');
  });
});

describe('panel edits that a domain command owns', () => {
  it('changes a published event through updateEvent: attendees hear about the new time, validation names the field', async () => {
    const staff = await staffAgent();
    const event = await buildEvent({ max_capacity: 10 });
    const { user } = await buildAttendee({ event });
    const later = new Date(Math.floor(event.start_time.getTime() / 1000) * 1000 + 3_600_000);
    const res = await staff.agent.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form').send({
      start_time: later.toISOString(), end_time: new Date(later.getTime() + 3_600_000).toISOString(),
    });
    expect(res.body.notice, JSON.stringify(res.body.record?.errors)).toMatchObject({ type: 'success' });
    expect((await event.reload()).start_time.toISOString()).toBe(later.toISOString());
    expect(await Notification.count({ where: { recipient_id: user.id, type: 'event_update' } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'events.update', object_id: event.id } })).toBe(1);

    const bad = await staff.agent.post(`/admin/api/resources/event/records/${event.id}/edit`).type('form').send({ max_capacity: '0.5' });
    expect(bad.body.record.errors.max_capacity).toBeDefined();
    expect((await event.reload()).max_capacity).toBe(10);
  });

  it('soft-deletes a venue that events use, as the API does', async () => {
    const staff = await staffAgent();
    const venue = await buildVenue({ name: 'Busy Hall' });
    await buildEvent({ venue_id: venue.id });
    await staff.agent.post(`/admin/api/resources/venue/records/${venue.id}/delete`);
    expect((await venue.reload()).is_active).toBe(false);
  });
});

describe('panel deletes that a domain command owns', () => {
  it('soft-deletes an event (cancelled, inactive) instead of removing it', async () => {
    const staff = await staffAgent();
    const event = await buildEvent();
    await buildAttendee({ event });
    await staff.agent.post(`/admin/api/resources/event/records/${event.id}/delete`);
    await event.reload();
    expect(event.status).toBe('cancelled');
    expect(event.is_active).toBe(false);
  });
});
