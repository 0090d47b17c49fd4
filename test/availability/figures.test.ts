import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { config } from '../../src/config.js';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildInvite, buildPaidEvent, buildRequest, buildReservation, buildUser } from '../support/factories.js';
import { acceptThrough, startInstance, type TestInstance } from './helpers.js';

/** GET /events/{event}/availability: the figures recomputed from rows after accepts, holds and expiries. */
let a: TestInstance;
beforeAll(async () => {
  a = await startInstance();
});
afterAll(() => a.stop());

const get = async (ref: string, user?: { uuid: string }) => {
  const res = await fetch(`${a.base}/api/events/${ref}/availability`, { headers: user ? { authorization: await bearer(user) } : {} });
  return { status: res.status, type: res.headers.get('content-type'), body: await res.json() as Record<string, unknown> };
};
const accept = (event: { uuid: string; host: { uuid: string } }, request: { uuid: string }) => acceptThrough(a, event, request);

describe('GET /events/{event}/availability', () => {
  it('a free event: going grows with each accept, available shrinks to 0, anonymously readable by uuid or slug', async () => {
    const event = await buildEvent({ max_capacity: 2 });
    expect(await get(event.uuid)).toMatchObject({
      status: 200, body: { max_capacity: 2, going: 0, held: 0, available: 2, waitlisted: 0 },
    });
    const requests = await Promise.all([1, 2].map(() => buildRequest({ event })));
    await accept(event, requests[0]!);
    expect((await get(event.slug)).body).toEqual({ max_capacity: 2, going: 1, held: 0, available: 1, waitlisted: 0 });
    await accept(event, requests[1]!);
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 2, going: 2, held: 0, available: 0, waitlisted: 0 });
  });

  it('a paid event: an accept holds a seat (held, not going) until it expires, with no sweep needed', async () => {
    clock.set(new Date());
    const event = await buildPaidEvent({ max_capacity: 3 });
    await buildAttendee({ event, paid: true });
    await accept(event, await buildRequest({ event }));
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 3, going: 1, held: 1, available: 1, waitlisted: 0 });
    await buildReservation({ event, seats_reserved: 2, expires_at: new Date(clock.now().getTime() + 60 * MINUTE) });
    expect((await get(event.uuid)).body).toMatchObject({ held: 3, available: 0 });
    // The accepted hold lapses after HOLD_MINUTES; the hour-long one still counts.
    clock.advance(config().HOLD_MINUTES * MINUTE + 1_000);
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 3, going: 1, held: 2, available: 0, waitlisted: 0 });
    clock.advance(60 * MINUTE);
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 3, going: 1, held: 0, available: 2, waitlisted: 0 });
  });

  it('released and consumed holds do not count; held is in seats, not holds', async () => {
    const event = await buildPaidEvent({ max_capacity: 10 });
    await buildReservation({ event, seats_reserved: 2 });
    await buildReservation({ event, released_at: new Date() });
    await buildReservation({ event, consumed: true });
    expect((await get(event.uuid)).body).toMatchObject({ held: 2, available: 8 });
  });

  it('an unlimited event (max_capacity 0): available is null, going and held still counted', async () => {
    const event = await buildPaidEvent({ max_capacity: 0 });
    await buildAttendee({ event, seats: 2 });
    await buildReservation({ event });
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 0, going: 2, held: 1, available: null, waitlisted: 0 });
  });

  it('available never goes below 0 when capacity is lowered under going + held', async () => {
    const event = await buildPaidEvent({ max_capacity: 3 });
    await buildAttendee({ event, seats: 2 });
    await buildReservation({ event });
    await event.update({ max_capacity: 2 });
    expect((await get(event.uuid)).body).toEqual({ max_capacity: 2, going: 2, held: 1, available: 0, waitlisted: 0 });
  });

  it('a private event is 404 to strangers and anonymous callers, visible to its host, attendees and invitees', async () => {
    const event = await buildEvent({ is_public: false, max_capacity: 4 });
    const attendee = await buildUser();
    await buildAttendee({ event, user: attendee });
    const invitee = await buildUser();
    await buildInvite({ event, invitee });
    for (const who of [undefined, await buildUser()]) {
      const res = await get(event.uuid, who);
      expect(res.status).toBe(404);
      expect(res.type).toMatch(/^application\/problem\+json/);
    }
    for (const who of [event.host, attendee, invitee]) expect((await get(event.uuid, who)).body).toMatchObject({ going: 1, available: 3 });
    const draft = await buildEvent({ status: 'draft' });
    expect((await get(draft.uuid)).status).toBe(404);
    expect((await get(draft.uuid, draft.host)).status).toBe(200);
    expect((await get('no-such-event')).status).toBe(404);
  });

  it('waitlisted counts the event\'s waitlisted requests', async () => {
    const event = await buildEvent({ max_capacity: 1 });
    const other = await buildEvent();
    for (const e of [event, event, other]) {
      await sequelize().query(
        `INSERT INTO event_request (event_id, requester_id, status, waitlist_seq) VALUES (:event, :user, 'waitlisted', nextval('event_request_waitlist_seq'))`,
        { replacements: { event: e.id, user: (await buildUser()).id }, type: QueryTypes.INSERT },
      );
    }
    await buildRequest({ event });
    expect((await get(event.uuid)).body).toMatchObject({ waitlisted: 2 });
  });
});
