import { describe, expect, it } from 'vitest';
import { EventRequest, Notification } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildInvite, buildUser } from '../support/factories.js';

const call = async (method: 'get' | 'post', path: string, user?: { uuid: string }, body?: object) => {
  let req = (await api())[method](path);
  if (user) req = req.set('Authorization', await bearer(user));
  return body ? req.send(body) : req;
};

describe('private events are invisible to strangers', () => {
  it('a stranger cannot ask to join a private event by slug or uuid, and the host hears nothing', async () => {
    const event = await buildEvent({ is_public: false });
    const stranger = await buildUser();
    for (const ref of [event.slug, event.uuid]) {
      const res = await call('post', `/api/events/${ref}/requests`, stranger, {});
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
    }
    expect(await EventRequest.count({ where: { event_id: event.id } })).toBe(0);
    expect(await Notification.count({ where: { recipient_id: event.host_id } })).toBe(0);
  });

  it('host-only routes answer 404 (not 403) to a stranger on a private event, 403 on a public one', async () => {
    const hidden = await buildEvent({ is_public: false });
    const open = await buildEvent({ is_public: true });
    const stranger = await buildUser();
    for (const [event, status] of [[hidden, 404], [open, 403]] as const) {
      expect((await call('get', `/api/events/${event.uuid}/requests`, stranger)).status).toBe(status);
      expect((await call('get', `/api/events/${event.uuid}/attendees`, stranger)).status).toBe(status);
      expect((await call('post', `/api/events/${event.uuid}/invites/share-link`, stranger, {})).status).toBe(status);
    }
  });

  it('a pending invite reveals the event; once declined it no longer does', async () => {
    const event = await buildEvent({ is_public: false });
    const invitee = await buildUser();
    const invite = await buildInvite({ event, invitee });
    expect((await call('get', `/api/events/${event.uuid}`, invitee)).status).toBe(200);
    expect((await call('post', `/api/invites/${invite.uuid}/decline`, invitee)).status).toBe(200);
    expect((await call('get', `/api/events/${event.uuid}`, invitee)).status).toBe(404);
    expect((await call('get', `/api/events/${event.slug}/images`, invitee)).status).toBe(404);
    expect((await call('post', `/api/events/${event.slug}/requests`, invitee, {})).status).toBe(404);
  });
});
