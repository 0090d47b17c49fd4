// Small correctness (issue 15): notifications name sender and object; completion waits for the start.
import { describe, expect, it } from 'vitest';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';

/** Notifications written by the real commands carry who sent them (by name) and what they are about (by uuid). */
describe('notifications name the sender and reference the object by uuid', () => {
  it('a join request, its acceptance and a declined invite', async () => {
    const host = await buildUser({ profile: { name: 'Hema Host' } });
    const guest = await buildUser({ profile: { name: 'Gita Guest' } });
    const event = await buildEvent({ host });
    const agent = await api();
    const asked = await agent.post(`/api/events/${event.slug}/requests`).set('Authorization', await bearer(guest)).send({});
    expect(asked.status).toBe(201);
    const accepted = await agent.post(`/api/events/${event.uuid}/requests/${asked.body.uuid}/accept`).set('Authorization', await bearer(host)).send({});
    expect(accepted.status).toBe(200);

    const hostInbox = (await agent.get('/api/notifications').set('Authorization', await bearer(host))).body.results;
    const toHost = hostInbox.find((n: { type: string }) => n.type === 'event_request');
    expect(toHost.sender).toEqual({ uuid: guest.uuid, name: 'Gita Guest' });
    expect(toHost.reference).toEqual({ type: expect.any(String), uuid: expect.stringMatching(/^[0-9a-f-]{36}$/) });

    const guestInbox = (await agent.get('/api/notifications').set('Authorization', await bearer(guest))).body.results;
    const toGuest = guestInbox.find((n: { title: string }) => /accepted/.test(n.title));
    expect(toGuest.sender).toEqual({ uuid: host.uuid, name: 'Hema Host' });
    expect(toGuest.reference).toEqual({ type: 'event_request', uuid: asked.body.uuid });
    const read = await agent.post(`/api/notifications/${toGuest.uuid}/read`).set('Authorization', await bearer(guest));
    expect(read.body.reference).toEqual({ type: 'event_request', uuid: asked.body.uuid });
  });
});

describe('an event cannot be completed before it started', () => {
  it('409 before the start, 200 once it has started', async () => {
    const { clock, HOUR } = await import('../../src/lib/clock.js');
    const host = await buildUser();
    const event = await buildEvent({ host, status: 'published', start_time: new Date(clock.now().getTime() + 2 * HOUR), end_time: new Date(clock.now().getTime() + 4 * HOUR) });
    const agent = await api();
    const early = await agent.post(`/api/events/${event.uuid}/complete`).set('Authorization', await bearer(host));
    expect(early.status).toBe(409);
    expect(early.headers['content-type']).toMatch(/problem\+json/);
    clock.advance(3 * HOUR);
    expect((await agent.post(`/api/events/${event.uuid}/complete`).set('Authorization', await bearer(host))).status).toBe(200);
  });
});
