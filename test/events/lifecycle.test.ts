import { describe, expect, it } from 'vitest';
import { clock, DAY } from '../../src/lib/clock.js';
import { Event, EventInterest, EVENT_STATUSES, type EventStatus } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildStaff, buildUser } from '../support/factories.js';
import { auditsOf, expectProblem } from './helpers.js';

const ACTIONS = { publish: 'published', postpone: 'postponed', cancel: 'cancelled', complete: 'completed' } as const;
type Action = keyof typeof ACTIONS;
const ALLOWED: Record<EventStatus, Action[]> = {
  draft: ['publish', 'cancel'],
  published: ['postpone', 'cancel', 'complete'],
  postponed: ['publish', 'cancel'],
  cancelled: [],
  completed: [],
};

const cases = EVENT_STATUSES.flatMap((from) =>
  (Object.keys(ACTIONS) as Action[]).map((action) => [from, action, ALLOWED[from].includes(action)] as const));

describe('event lifecycle', () => {
  it.each(cases)('from %s, %s is allowed: %s', async (from, action, allowed) => {
    const event = await buildEvent({ status: from });
    // Completion needs the event to have started (issue 15): run completes after the start.
    if (action === 'complete') clock.set(new Date(event.start_time.getTime() + 60_000));
    const res = await (await api()).post(`/api/events/${event.uuid}/${action}`).set('Authorization', await bearer(event.host));
    if (allowed) {
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.status).toBe(ACTIONS[action]);
      expect((await event.reload()).status).toBe(ACTIONS[action]);
      const [entry] = await auditsOf(`events.${action}`, event.uuid);
      expect(entry!.old_values).toMatchObject({ status: from });
      expect(entry!.new_values).toMatchObject({ status: ACTIONS[action] });
    } else {
      expectProblem(res, 409);
      expect(res.body.detail).toContain(`'${from}'`);
      expect(res.body.detail).toContain(`'${ACTIONS[action]}'`);
      expect((await event.reload()).status).toBe(from);
      expect(await auditsOf(`events.${action}`, event.uuid)).toHaveLength(0);
    }
  });

  it('works by slug and for staff', async () => {
    const event = await buildEvent({ status: 'draft' });
    const staff = await buildStaff();
    const res = await (await api()).post(`/api/events/${event.slug}/publish`).set('Authorization', await bearer(staff));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('published');
  });

  it('refuses to publish an incomplete event, naming what is missing', async () => {
    const event = await buildEvent({ status: 'draft', cover_images: [], interests: [], start_time: new Date(clock.now().getTime() - DAY) });
    const res = await (await api()).post(`/api/events/${event.uuid}/publish`).set('Authorization', await bearer(event.host));
    expectProblem(res, 422, 'cover_images');
    const fields = res.body.errors.map((e: { field: string }) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['cover_images', 'event_interests', 'start_time']));
    expect((await event.reload()).status).toBe('draft');
  });

  it('does not count inactive interests towards publishing', async () => {
    const event = await buildEvent({ status: 'draft', interests: ['old-hobby'] });
    await EventInterest.update({ is_active: false }, { where: { slug: 'old-hobby' } });
    const res = await (await api()).post(`/api/events/${event.uuid}/publish`).set('Authorization', await bearer(event.host));
    expectProblem(res, 422, 'event_interests');
  });

  it('lets only the host or staff move an event: others get 403 on a visible event, 404 on a draft', async () => {
    const stranger = await buildUser();
    const published = await buildEvent({ status: 'published' });
    const draft = await buildEvent({ status: 'draft' });
    const agent = await api();
    const auth = await bearer(stranger);
    expectProblem(await agent.post(`/api/events/${published.uuid}/cancel`).set('Authorization', auth), 403);
    expectProblem(await agent.post(`/api/events/${draft.uuid}/publish`).set('Authorization', auth), 404);
    expectProblem(await agent.post(`/api/events/${published.uuid}/complete`), 401);
    expect((await published.reload()).status).toBe('published');
    expect((await draft.reload()).status).toBe('draft');
  });

  it('answers 404 for unknown or malformed references', async () => {
    const user = await buildUser();
    const agent = await api();
    const auth = await bearer(user);
    expectProblem(await agent.post('/api/events/00000000-0000-4000-8000-000000000000/publish').set('Authorization', auth), 404);
    expectProblem(await agent.post('/api/events/not-a-thing/publish').set('Authorization', auth), 404);
    expectProblem(await agent.post(`/api/events/${'x'.repeat(300)}/publish`).set('Authorization', auth), 404);
  });

  it('deletes softly: cancelled and inactive, then gone for others', async () => {
    const event = await buildEvent({ status: 'published' });
    const agent = await api();
    const res = await agent.delete(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host));
    expect(res.status).toBe(204);
    const stored = await Event.findByPk(event.id);
    expect(stored).toMatchObject({ status: 'cancelled', is_active: false });
    expectProblem(await agent.get(`/api/events/${event.uuid}`), 404);
    const [entry] = await auditsOf('events.delete', event.uuid);
    expect(entry!.new_values).toMatchObject({ status: 'cancelled', is_active: false });
  });

  it('refuses to delete a completed event (409)', async () => {
    const event = await buildEvent({ status: 'completed' });
    const res = await (await api()).delete(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host));
    expectProblem(res, 409);
    expect(await Event.findByPk(event.id)).toMatchObject({ status: 'completed', is_active: true });
  });
});
