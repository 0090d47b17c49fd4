import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { EventAttendee } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildPaidEvent, buildRequest, buildReservation, buildUser } from '../support/factories.js';
import { openStream, type SseClient } from '../support/sse.js';
import { acceptThrough, eventually, listenerConnections, startInstance, type TestInstance } from './helpers.js';

/**
 * GET /events/{event}/availability/stream across two app instances on one database, each with its
 * own hub and LISTEN connection, as two server processes would be.
 */
let a: TestInstance;
let b: TestInstance;
const open: SseClient[] = [];
beforeAll(async () => {
  [a, b] = await Promise.all([startInstance(), startInstance()]);
});
afterAll(async () => {
  for (const c of open) c.close();
  await Promise.all([a?.stop(), b?.stop()]);
});

const stream = async (i: TestInstance, ref: string, headers: Record<string, string> = {}) => {
  const client = await openStream(`${i.base}/api/events/${ref}/availability/stream`, headers);
  open.push(client);
  return client;
};
describe('availability stream', () => {
  it('a client on B gets the current figures at once, then a host accept made through A within a second', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const request = await buildRequest({ event });
    const client = await stream(b, event.uuid);
    expect(client.status).toBe(200);
    expect(client.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(client.headers.get('cache-control')).toContain('no-cache');
    expect(client.headers.get('connection')).toBe('close');
    const first = await client.next();
    expect(first.event).toBe('availability');
    expect(first.json).toEqual({ max_capacity: 5, going: 0, held: 0, available: 5, waitlisted: 0 });
    await eventually(() => b.hub.listener.listening, 5_000, 'B listening');

    await acceptThrough(a, event, request);
    const accepted = Date.now();
    const update = await client.next(2_000);
    expect(update.json).toEqual({ max_capacity: 5, going: 1, held: 0, available: 4, waitlisted: 0 });
    expect(update.at - accepted).toBeLessThan(1_000);
  });

  it('a full waitlist event: B streams the waitlisted count of an accept made through A, then the admission a cancel causes', async () => {
    const event = await buildEvent({ max_capacity: 1, waitlist_enabled: true });
    const first = await buildRequest({ event });
    const second = await buildRequest({ event });
    await acceptThrough(a, event, first);
    const client = await stream(b, event.uuid);
    expect((await client.next()).json).toEqual({ max_capacity: 1, going: 1, held: 0, available: 0, waitlisted: 0 });
    await eventually(() => b.hub.listener.listening, 5_000, 'B listening');

    await acceptThrough(a, event, second); // full: answered as waitlisted
    expect((await client.next(2_000)).json).toEqual({ max_capacity: 1, going: 1, held: 0, available: 0, waitlisted: 1 });

    const attendee = await EventAttendee.findOne({ where: { event_id: event.id, user_id: first.requester_id } });
    const cancel = await fetch(`${a.base}/api/events/${event.uuid}/attendees/${attendee!.uuid}/cancel`, {
      method: 'POST', headers: { authorization: await bearer(event.host!), 'content-type': 'application/json' }, body: '{}',
    });
    expect(cancel.status).toBeLessThan(300);
    // the freed seat went to the waitlist's head in the cancel's own transaction: one change, seen whole
    // the freed seat went to the waitlist's head in the cancel's own transaction: no frame ever shows it free
    const settled = await client.until((json) => json.waitlisted === 0, 2_000);
    expect(settled.json).toEqual({ max_capacity: 1, going: 1, held: 0, available: 0, waitlisted: 0 });
    expect(client.events.map((e) => (JSON.parse(e.data) as { available: number }).available)).toEqual(client.events.map(() => 0));
  });

  it('a comment heartbeat arrives every heartbeat period (200 ms here, 15 s by default, never above 20 s)', async () => {
    const event = await buildEvent();
    const client = await stream(a, event.slug);
    await client.next();
    const since = client.heartbeats.length;
    await new Promise((r) => setTimeout(r, 1_100));
    expect(client.heartbeats.length - since).toBeGreaterThanOrEqual(3);
    expect(client.events).toHaveLength(1);
  });

  it('one LISTEN connection per instance, however many streams it holds', async () => {
    const event = await buildEvent();
    const clients = await Promise.all([stream(a, event.uuid), stream(b, event.uuid), stream(b, event.uuid), stream(b, event.uuid)]);
    await Promise.all(clients.map((c) => c.next()));
    await eventually(() => a.hub.listener.listening && b.hub.listener.listening);
    expect(await listenerConnections()).toBe(2);
  });

  it('a burst of 100 changes costs at most one recompute per window, computed once for all the event\'s subscribers', async () => {
    const coalesceMs = 300;
    const c = await startInstance({ coalesceMs });
    try {
      const event = await buildPaidEvent({ max_capacity: 0 });
      const clients = await Promise.all(Array.from({ length: 4 }, (_, i) => stream(c, event.uuid, { 'x-forwarded-for': `10.9.0.${i}` })));
      await Promise.all(clients.map((x) => x.next()));
      await eventually(() => c.hub.listener.listening);
      const users = await Promise.all(Array.from({ length: 100 }, () => buildUser()));
      const before = c.hub.recomputes;
      const started = Date.now();
      // 100 holds, each its own transaction (and NOTIFY), 10 at a time.
      for (let i = 0; i < 100; i += 10) await Promise.all(users.slice(i, i + 10).map((user) => buildReservation({ event, user })));
      for (const x of clients) expect((await x.until((j) => j.held === 100, 5_000)).json).toMatchObject({ held: 100, available: null });
      const elapsed = Date.now() - started;
      const recomputes = c.hub.recomputes - before;
      console.log(`burst: 100 changes in ${elapsed} ms → ${recomputes} recomputes, ${clients[0]!.events.length} events per subscriber`);
      expect(recomputes).toBeGreaterThan(0);
      expect(recomputes).toBeLessThanOrEqual(Math.ceil(elapsed / coalesceMs) + 1);
      expect(recomputes).toBeLessThan(50);
      // Every subscriber saw the same sequence of figures: one computation each time, fanned out.
      const seen = clients.map((x) => x.events.map((e) => e.data));
      for (const s of seen) expect(s).toEqual(seen[0]);
      expect(seen[0]!.length).toBeLessThanOrEqual(recomputes + 1);
    } finally {
      await c.stop();
    }
  });

  it('a hold that lapses updates the stream without any write', async () => {
    const event = await buildPaidEvent({ max_capacity: 2 });
    await buildReservation({ event, expires_at: new Date(Date.now() + 800) });
    const client = await stream(a, event.uuid);
    expect((await client.next()).json).toMatchObject({ held: 1, available: 1 });
    const lapsed = await client.next(3_000);
    expect(lapsed.json).toMatchObject({ held: 0, available: 2 });
  });

  it('a watched hold that lapses on a full waitlist event hands its seat to the head of the line at once (no sweep)', async () => {
    const event = await buildPaidEvent({ max_capacity: 1, waitlist_enabled: true });
    await buildReservation({ event, expires_at: new Date(Date.now() + 800) });
    const head = await buildRequest({ event });
    await sequelize().query("UPDATE event_request SET status = 'waitlisted', waitlist_seq = nextval('event_request_waitlist_seq') WHERE id = $id", { bind: { id: head.id } });
    const client = await stream(a, event.uuid);
    expect((await client.next()).json).toMatchObject({ held: 1, available: 0, waitlisted: 1 });
    const admitted = await client.until((json) => json.waitlisted === 0, 4_000);
    expect(admitted.json).toMatchObject({ held: 1, available: 0, waitlisted: 0 });
    expect((await head.reload()).status).toBe('accepted');
    const holds = await sequelize().query<{ user_id: number }>(
      `SELECT user_id FROM capacity_reservation WHERE event_id = $e AND consumed = false AND released_at IS NULL AND expires_at > now()`,
      { bind: { e: event.id }, type: QueryTypes.SELECT },
    );
    expect(holds.map((h) => Number(h.user_id))).toEqual([Number(head.requester_id)]);
  });

  it('an event made private ends its open streams; the stranger reconnecting gets 404, its attendee gets the stream again', async () => {
    const event = await buildEvent();
    const attendee = await buildUser();
    await buildAttendee({ event, user: attendee });
    const stranger = await stream(b, event.uuid);
    const member = await stream(b, event.uuid, { authorization: await bearer(attendee) });
    await stranger.next();
    await member.next();
    await eventually(() => b.hub.listener.listening, 5_000, 'B listening');
    await sequelize().query('UPDATE event SET is_public = false WHERE id = $id', { bind: { id: event.id } });
    await Promise.race([Promise.all([stranger.ended, member.ended]), new Promise((_, no) => setTimeout(() => no(new Error('streams still open')), 3_000))]);
    expect((await stream(b, event.uuid)).status).toBe(404);
    const again = await stream(b, event.uuid, { authorization: await bearer(attendee) });
    expect(again.status).toBe(200);
    expect((await again.next()).event).toBe('availability');
  });

  it('a private event\'s stream is 404 to strangers, open to its attendees; a deleted event ends its streams', async () => {
    const event = await buildEvent({ is_public: false });
    const attendee = await buildUser();
    await buildAttendee({ event, user: attendee });
    const callers: Record<string, string>[] = [{}, { authorization: await bearer(await buildUser()) }];
    for (const headers of callers) {
      const refused = await stream(a, event.uuid, headers);
      expect(refused.status).toBe(404);
      expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    const client = await stream(a, event.uuid, { authorization: await bearer(attendee) });
    expect((await client.next()).json).toMatchObject({ going: 1 });
    const bare = await buildEvent();
    const doomed = await stream(b, bare.uuid);
    await doomed.next();
    await bare.destroy();
    await doomed.ended;
  });

  it('after its LISTEN connection drops, an instance reconnects, re-sends the current figures and keeps fanning out', async () => {
    const event = await buildEvent({ max_capacity: 3 });
    const client = await stream(b, event.uuid);
    await client.next();
    await eventually(() => b.hub.listener.listening);
    const pid = b.hub.listener.backendPid!;
    await sequelize().query('SELECT pg_terminate_backend(:pid)', { replacements: { pid }, type: QueryTypes.SELECT });
    await eventually(() => b.hub.listener.listening && b.hub.listener.backendPid !== pid, 10_000, 'B listening again');
    expect((await client.next(3_000)).json).toEqual({ max_capacity: 3, going: 0, held: 0, available: 3, waitlisted: 0 });
    await acceptThrough(a, event, await buildRequest({ event }));
    expect((await client.next(2_000)).json).toMatchObject({ going: 1, available: 2 });
  });
});

describe('stream limits', () => {
  let c: TestInstance;
  beforeAll(async () => {
    c = await startInstance({ perInstance: 4, perClient: 2 });
  });
  afterAll(() => c?.stop());

  it('per client (IP when anonymous, else the user) and per instance: 429 problem+json with Retry-After, freed on close', async () => {
    const event = await buildEvent();
    const at = (ip: string, headers: Record<string, string> = {}) => stream(c, event.uuid, { 'x-forwarded-for': ip, ...headers });
    const mine = [await at('10.1.0.1'), await at('10.1.0.1')];
    const third = await at('10.1.0.1');
    expect(third.status).toBe(429);
    expect(third.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(third.headers.get('retry-after')).toBe('5');
    expect(third.problem).toMatchObject({ status: 429, detail: 'At most 2 availability streams per client' });

    // A user counts as themselves, whatever IP they come from.
    const user = await buildUser();
    const auth = { authorization: await bearer(user) };
    expect((await at('10.1.0.2', auth)).status).toBe(200);
    expect((await at('10.1.0.3', auth)).status).toBe(200);
    expect(c.hub.openStreams).toBe(4);
    const full = await at('10.1.0.4');
    expect(full.status).toBe(429);
    expect(full.problem).toMatchObject({ detail: 'This server holds its maximum of 4 availability streams' });

    mine[0]!.close();
    await eventually(() => c.hub.openStreams === 3, 5_000, 'a slot freed');
    const again = await at('10.1.0.1');
    expect(again.status).toBe(200);
    expect((await again.next()).event).toBe('availability');
  });

  it('shutdown ends every stream, releases the LISTEN connection and lets the server close at once', async () => {
    const event = await buildEvent();
    await eventually(() => c.hub.listener.listening);
    const before = await listenerConnections();
    const clients = await Promise.all(Array.from({ length: 2 }, (_, i) => stream(c, event.uuid, { 'x-forwarded-for': `10.2.0.${i}` })));
    await Promise.all(clients.filter((x) => x.status === 200).map((x) => x.next()));
    const started = Date.now();
    await c.stop();
    await Promise.all(clients.map((x) => x.ended));
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(c.hub.openStreams).toBe(0);
    await eventually(async () => (await listenerConnections()) === before - 1, 5_000, 'listener released');
  });
});
