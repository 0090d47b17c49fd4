import { describe, expect, it } from 'vitest';
import { api, bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildInvite, buildStaff, buildUser } from '../support/factories.js';
import { buildImage, expectProblem } from './helpers.js';

describe('GET /api/events/{event}', () => {
  it('shows a published public event to anyone, by uuid or slug, with its images in order', async () => {
    const event = await buildEvent({ status: 'published' });
    await buildImage(event, 'https://img.example/b.jpg', 1);
    await buildImage(event, 'https://img.example/a.jpg', 0);
    const agent = await api();
    const byUuid = await agent.get(`/api/events/${event.uuid}`);
    expect(byUuid.status).toBe(200);
    expect(byUuid.body).toMatchObject({ uuid: event.uuid, slug: event.slug, status: 'published' });
    expect(byUuid.body.images.map((i: { image_url: string }) => i.image_url)).toEqual(['https://img.example/a.jpg', 'https://img.example/b.jpg']);
    const bySlug = await agent.get(`/api/events/${event.slug}`);
    expect(bySlug.body.uuid).toBe(event.uuid);
    expect((await agent.get(`/api/events/${event.uuid.toUpperCase()}`)).status).toBe(200);
  });

  const hidden = [
    ['a draft', { status: 'draft' as const }],
    ['a private event', { is_public: false }],
    ['an inactive event', { is_active: false }],
  ] as const;
  it.each(hidden)('hides %s from others (404, never 403) but shows it to its host and staff', async (_name, over) => {
    const event = await buildEvent({ status: 'published', ...over });
    const agent = await api();
    expectProblem(await agent.get(`/api/events/${event.uuid}`), 404);
    expectProblem(await agent.get(`/api/events/${event.slug}`).set('Authorization', await bearer(await buildUser())), 404);
    expectProblem(await agent.get(`/api/events/${event.uuid}/images`), 404);
    expect((await agent.get(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host))).status).toBe(200);
    expect((await agent.get(`/api/events/${event.uuid}`).set('Authorization', await bearer(await buildStaff()))).status).toBe(200);
  });

  it('shows a private event to people invited to it or going', async () => {
    const event = await buildEvent({ is_public: false });
    const invitee = await buildUser();
    await buildInvite({ event, invitee });
    const { user: attendee } = await buildAttendee({ event });
    const agent = await api();
    expect((await agent.get(`/api/events/${event.uuid}`).set('Authorization', await bearer(invitee))).status).toBe(200);
    expect((await agent.get(`/api/events/${event.uuid}`).set('Authorization', await bearer(attendee))).status).toBe(200);
  });

  it('answers 404 for unknown and malformed references, 401 for a bad token', async () => {
    const agent = await api();
    expectProblem(await agent.get('/api/events/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await agent.get('/api/events/%E2%9C%93-nope'), 404);
    expectProblem(await agent.get(`/api/events/${'y'.repeat(400)}`), 404);
    expectProblem(await agent.get('/api/events/anything').set('Authorization', 'Bearer nonsense'), 401);
  });
});
