import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sequelize } from '../../src/db/connection.js';
import { AVAILABILITY_CHANNEL } from '../../src/db/functions/availability-channel.js';
import { buildAttendee, buildEvent, buildPaidEvent, buildRequest, buildReservation, buildUser } from '../support/factories.js';
import { testDatabaseUrl } from '../support/setup.js';
import { eventually } from './helpers.js';

/**
 * The NOTIFY triggers alone (no app): a plain LISTEN connection sees the event id for every change
 * that alters availability, once per transaction, and nothing for changes that do not.
 */
let client: pg.Client;
const heard: string[] = [];
beforeAll(async () => {
  client = new pg.Client({ connectionString: testDatabaseUrl() });
  await client.connect();
  client.on('notification', (m) => {
    if (m.channel === AVAILABILITY_CHANNEL) heard.push(m.payload!);
  });
  await client.query(`LISTEN ${AVAILABILITY_CHANNEL}`);
});
afterAll(() => client.end());

/** Waits for a marker NOTIFY: everything committed before it has arrived by then (delivery keeps commit order). */
async function drain(): Promise<void> {
  const marker = `marker-${Math.random()}`;
  await sequelize().query(`SELECT pg_notify('${AVAILABILITY_CHANNEL}', :marker)`, { replacements: { marker } });
  await eventually(() => heard.includes(marker), 5_000, 'marker notification');
}

/** What `change` made the triggers send. */
async function notified(change: () => Promise<unknown>): Promise<string[]> {
  await drain();
  heard.length = 0;
  await change();
  await drain();
  return heard.filter((p) => !p.startsWith('marker-'));
}

describe('availability NOTIFY triggers', () => {
  it('event: capacity, going count and status changes notify its id; other columns do not', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const id = String(event.id);
    expect(await notified(() => event.update({ max_capacity: 6 }))).toEqual([id]);
    expect(await notified(() => buildAttendee({ event }))).toEqual([id]);
    expect(await notified(() => event.update({ status: 'cancelled' }))).toEqual([id]);
    expect(await notified(() => event.update({ title: 'Renamed', description: 'Still a gathering worth it.' }))).toEqual([]);
    const bare = await buildEvent();
    expect(await notified(() => bare.destroy())).toEqual([String(bare.id)]);
  });

  it('capacity_reservation: insert, release, consume and delete notify the event id; one per transaction', async () => {
    const event = await buildPaidEvent({ max_capacity: 10 });
    const id = String(event.id);
    let hold = await buildReservation({ event });
    expect(await notified(async () => { hold = await buildReservation({ event }); })).toEqual([id]);
    expect(await notified(() => hold.update({ released_at: new Date() }))).toEqual([id]);
    const other = await buildReservation({ event });
    expect(await notified(() => other.update({ consumed: true }))).toEqual([id]);
    expect(await notified(() => other.destroy())).toEqual([id]);
    // Many rows in one transaction reach listeners as one notification (equal payloads fold).
    const users = await Promise.all(Array.from({ length: 5 }, () => buildUser()));
    expect(await notified(() => sequelize().transaction(async (transaction) => {
      for (const user of users) {
        await sequelize().query(
          `INSERT INTO capacity_reservation (event_id, user_id, seats_reserved, consumed, expires_at) VALUES (:event, :user, 1, false, now() + interval '1 hour')`,
          { replacements: { event: event.id, user: user.id }, transaction },
        );
      }
    }))).toEqual([id]);
  });

  it('event_request: statuses that are not the waitlist notify nobody', async () => {
    const event = await buildEvent({ max_capacity: 10 });
    expect(await notified(async () => {
      const request = await buildRequest({ event });
      await request.update({ status: 'declined' });
      await request.destroy();
    })).toEqual([]);
  });

  it('event_request: entering and leaving the waitlist notify', async () => {
    const event = await buildEvent({ max_capacity: 1 });
    const request = await buildRequest({ event });
    // waitlist_seq is set exactly while a request waits (a CHECK of migration 1000)
    const status = (to: string) => sequelize().query(
      `UPDATE event_request SET status = :to, waitlist_seq = CASE WHEN :to = 'waitlisted' THEN nextval('event_request_waitlist_seq') END WHERE id = :id`,
      { replacements: { to, id: request.id } },
    );
    expect(await notified(() => status('waitlisted'))).toEqual([String(event.id)]);
    expect(await notified(() => status('accepted'))).toEqual([String(event.id)]);
  });
});
