import { describe, expect, it } from 'vitest';
import { buildAttendee, buildEvent, buildUser } from '../support/factories.js';
import { createContext } from '../../src/context.js';
import { clock, HOUR } from '../../src/lib/clock.js';
import { Notification } from '../../src/models/index.js';
import { sendEventReminders } from '../../src/modules/notifications/commands/index.js';

const job = () => createContext({ source: 'job' });

describe('event reminders', () => {
  it('reminds going attendees of published events starting within 24 h, once each, even when racing', async () => {
    clock.set('2031-07-01T10:00:00Z');
    const soon = await buildEvent({ start_time: new Date(clock.now().getTime() + 5 * HOUR), title: 'Sunset run' });
    const later = await buildEvent({ start_time: new Date(clock.now().getTime() + 30 * HOUR) });
    const draft = await buildEvent({ start_time: new Date(clock.now().getTime() + 2 * HOUR), status: 'draft' });
    const a = await buildAttendee({ event: soon, user: await buildUser({ email: 'a@example.test' }) });
    const b = await buildAttendee({ event: soon });
    const gone = await buildAttendee({ event: soon });
    await gone.attendee.update({ status: 'cancelled' });
    await buildAttendee({ event: later });
    await buildAttendee({ event: draft });

    const runs = await Promise.all([sendEventReminders(job()), sendEventReminders(job()), sendEventReminders(job())]);
    expect(runs.reduce((s, r) => s + r.reminded, 0)).toBe(2);
    const rows = await Notification.findAll({ where: { type: 'reminder' } });
    expect(rows.map((r) => r.recipient_id).sort()).toEqual([a.user.id, b.user.id].sort());
    expect(rows[0]).toMatchObject({ title: 'Reminder: Sunset run', reference_type: 'event', reference_id: soon.id, email_status: 'pending' });
    expect(rows[0]!.metadata).toMatchObject({ template: 'reminder', event_title: 'Sunset run', reference_uuid: soon.uuid });

    clock.advance(HOUR);
    expect(await sendEventReminders(job())).toEqual({ reminded: 0 });
  });
});
