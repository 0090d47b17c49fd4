import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { buildAttendee, buildEvent, buildStaff, buildUser } from '../support/factories.js';
import { adminContext } from '../../src/admin/context.js';
import { clock } from '../../src/lib/clock.js';
import { AuthUser, Notification } from '../../src/models/index.js';
import { broadcastNotification } from '../../src/modules/notifications/commands/index.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { notificationActions } from '../../resources/actions/notifications.js';
import { countQueries } from './support.js';
import { sha256 } from '../../src/lib/crypto.js';

const staffCtx = (staff: AuthUser) => adminContext({ ...staff.get({ plain: true }), email: staff.email }, { sessionID: 'sess-1', clientIp: '10.1.1.1' });

async function broadcastAudits() {
  return testDb().query<{ payload: Record<string, unknown>; session_key: string; severity: string; object_uuid: string | null }>(
    `SELECT payload, session_key, severity, object_uuid FROM audit_log WHERE command = 'notifications.broadcast' ORDER BY id`,
    { type: QueryTypes.SELECT });
}

describe('staff broadcast', () => {
  it('reaches 10,000 users with a few statements (one set-based INSERT … SELECT), audited once', async () => {
    const staff = await buildStaff();
    const stamp = Date.now();
    await AuthUser.bulkCreate(Array.from({ length: 10_000 }, (_, i) => ({
      username: `+1555${stamp % 1_000_000}${String(i).padStart(5, '0')}`, date_joined: clock.now(), is_active: true,
    })));
    await buildUser({ is_active: false });
    const active = await AuthUser.count({ where: { is_active: true } });

    const { result, statements } = await countQueries(() => broadcastNotification(staffCtx(staff), {
      audience: 'all', type: 'promotional', title: 'Weekend picks', message: 'Ten events near you',
    }));
    expect(result.recipients).toBe(active);
    expect(active).toBeGreaterThanOrEqual(10_001);
    expect(await Notification.count({ where: { title: 'Weekend picks' } })).toBe(active);
    // BEGIN, the INSERT … SELECT, the audit INSERT (chained later by the sealer), COMMIT: none per user.
    expect(statements.length, statements.join('\n')).toBe(4);
    expect(statements.filter((s) => /INSERT INTO notification/i.test(s))).toHaveLength(1);
    const [row] = await broadcastAudits();
    expect(row).toMatchObject({ severity: 'medium', session_key: sha256('sess-1').slice(0, 32), payload: { recipients: active, audience: 'all', source: 'admin' } });
    const sample = await Notification.findOne({ where: { title: 'Weekend picks' } });
    expect(sample).toMatchObject({ type: 'promotional', sender_id: staff.id, email_status: 'none', is_read: false });
    expect(sample!.metadata.broadcast).toBe(result.broadcast);
    await settleSeal(); // the in-process sealer links the broadcast's audit row
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  }, 60_000);

  it('reaches an event\'s attendees only, by event uuid or slug', async () => {
    const staff = await buildStaff();
    const event = await buildEvent();
    const going = await buildAttendee({ event });
    const checkedIn = await buildAttendee({ event });
    await checkedIn.attendee.update({ status: 'checked_in', checked_in_at: clock.now() });
    const cancelled = await buildAttendee({ event });
    await cancelled.attendee.update({ status: 'cancelled' });
    await buildAttendee(); // another event
    const { recipients } = await broadcastNotification(staffCtx(staff), { audience: { event: event.slug }, type: 'system', title: 'Gate 3', message: 'Use gate 3' });
    expect(recipients).toBe(2);
    const rows = await Notification.findAll({ where: { title: 'Gate 3' } });
    expect(rows.map((r) => r.recipient_id).sort()).toEqual([going.user.id, checkedIn.user.id].sort());
    expect(rows[0]).toMatchObject({ reference_type: 'event', reference_id: event.id });
    expect(rows[0]!.metadata.reference_uuid).toBe(event.uuid);
    expect((await broadcastAudits()).at(-1)).toMatchObject({ object_uuid: event.uuid, payload: { recipients: 2, audience: { event: event.uuid } } });
  });

  it('refuses non-staff, unknown events and bad input without writing anything', async () => {
    const staff = await buildStaff();
    const user = await buildUser();
    const before = await Notification.count();
    const plain = adminContext({ ...user.get({ plain: true }), email: 'x@y.z' }, {});
    await expect(broadcastNotification(plain, { audience: 'all', type: 'system', title: 't', message: 'm' })).rejects.toMatchObject({ status: 403 });
    await expect(broadcastNotification(staffCtx(staff), { audience: { event: 'no-such-event' }, type: 'system', title: 't', message: 'm' }))
      .rejects.toMatchObject({ status: 404 });
    for (const [input, field] of [
      [{ audience: 'all', type: 'event_request', title: 't', message: 'm' }, 'type'],
      [{ audience: 'all', type: 'system', title: '', message: 'm' }, 'title'],
      [{ audience: 'all', type: 'system', title: 'x'.repeat(201), message: 'm' }, 'title'],
      [{ audience: 'all', type: 'system', title: 't', message: ' ' }, 'message'],
    ] as const) {
      await expect(broadcastNotification(staffCtx(staff), input)).rejects.toMatchObject({ status: 400, errors: [expect.objectContaining({ field })] });
    }
    expect(await Notification.count()).toBe(before);
  });

  it('the AdminJS "Send notification" action renders on GET and broadcasts only on POST', async () => {
    const staff = await buildStaff();
    const { attendee, event } = await buildAttendee();
    const action = notificationActions.sendNotification!;
    expect(action.actionType).toBe('resource');
    const context = { currentAdmin: { ...staff.get({ plain: true }), email: staff.email } } as never;
    const payload = { audience: 'event', event: event.uuid, type: 'system', title: 'Doors at 8', message: 'Doors open at 8 pm' };
    expect(await action.handler({ method: 'get', payload } as never, {}, context)).toEqual({});
    expect(await Notification.count({ where: { title: 'Doors at 8' } })).toBe(0);
    const done = await action.handler({ method: 'post', payload } as never, {}, context);
    expect(done.notice).toEqual({ message: 'Notification sent to 1 recipient(s)', type: 'success' });
    expect(await Notification.count({ where: { title: 'Doors at 8', recipient_id: attendee.user_id } })).toBe(1);
    const refused = await action.handler({ method: 'post', payload: { ...payload, type: 'bogus' } } as never, {}, context);
    expect(refused.notice).toMatchObject({ type: 'error' });
    // Sending to an event without naming it is refused, never widened to everyone.
    const noEvent = await action.handler({ method: 'post', payload: { ...payload, event: '' } } as never, {}, context);
    expect(noEvent.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/audience\.event/) });
    expect(await Notification.count({ where: { title: 'Doors at 8' } })).toBe(1);
  });
});
