import { describe, expect, it } from 'vitest';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { Event, EventInterestMap } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildReservation, buildStaff, buildUser, buildVenue, interest } from '../support/factories.js';
import { auditsOf, eventBody, expectProblem, notificationsOf } from './helpers.js';

describe('PUT/PATCH /api/events/{event}', () => {
  it('patches only the fields sent and audits old and new values', async () => {
    const event = await buildEvent({ status: 'draft', title: 'Board Game Night' });
    const res = await (await api()).patch(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host))
      .send({ description: 'Catan, Azul and plenty of snacks.', max_capacity: 12 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ title: 'Board Game Night', description: 'Catan, Azul and plenty of snacks.', max_capacity: 12 });
    const [entry] = await auditsOf('events.update', event.uuid);
    expect(entry!.old_values).toEqual({ description: 'A gathering worth showing up for.', max_capacity: 0 });
    expect(entry!.new_values).toEqual({ description: 'Catan, Azul and plenty of snacks.', max_capacity: 12 });
  });

  it('replaces everything with PUT, including interests, and clears optional fields left out', async () => {
    const event = await buildEvent({ status: 'draft', venue_text: 'Old place', gst_number: 'GST1' });
    await interest('tech');
    const body = await eventBody({ event_interests: ['tech'] });
    delete (body as Record<string, unknown>).venue_text;
    const res = await (await api()).put(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host)).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ venue_text: null, gst_number: null, title: body.title });
    expect(res.body.interests.map((i: { slug: string }) => i.slug)).toEqual(['tech']);
    expect(await EventInterestMap.count({ where: { event_id: event.id } })).toBe(1);
  });

  it('checks PATCHed fields against the stored ones, naming the field and changing nothing', async () => {
    const event = await buildEvent({ status: 'published', max_capacity: 10 });
    await buildAttendee({ event, seats: 3 });
    const agent = await api();
    const auth = await bearer(event.host);
    const url = `/api/events/${event.uuid}`;
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ end_time: new Date(event.start_time.getTime() - HOUR).toISOString() }), 400, 'end_time');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ is_paid: true }), 400, 'ticket_price');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ ticket_price: '5.00' }), 400, 'ticket_price');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ max_capacity: 2 }), 400, 'max_capacity');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ start_time: new Date(clock.now().getTime() - DAY).toISOString() }), 400, 'start_time');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ title: 'x' }), 400, 'title');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ slug: 'mine' }), 400, 'body');
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ event_interests: ['nope'] }), 400, 'event_interests');
    const stored = await Event.findByPk(event.id);
    expect(stored).toMatchObject({ max_capacity: 10, is_paid: false, ticket_price: '0.00', title: event.title });
    expect(await auditsOf('events.update', event.uuid)).toHaveLength(0);
    // Live holds count as taken seats; expired ones do not.
    await buildReservation({ event, seats_reserved: 2 });
    await buildReservation({ event, seats_reserved: 4, expires_at: new Date(clock.now().getTime() - HOUR) });
    expectProblem(await agent.patch(url).set('Authorization', auth).send({ max_capacity: 4 }), 400, 'max_capacity');
    // Capacity may go down to the seats taken, or to 0 (unlimited).
    expect((await agent.patch(url).set('Authorization', auth).send({ max_capacity: 5 })).status).toBe(200);
    expect((await agent.patch(url).set('Authorization', auth).send({ max_capacity: 0 })).status).toBe(200);
    expect((await agent.patch(url).set('Authorization', auth).send({ is_paid: true, ticket_price: '250.00' })).body.ticket_price).toBe('250.00');
  });

  it('tells going attendees when a published event changes time or place, and not for other edits', async () => {
    const event = await buildEvent({ status: 'published' });
    const { user: going } = await buildAttendee({ event });
    const agent = await api();
    const auth = await bearer(event.host);
    await agent.patch(`/api/events/${event.uuid}`).set('Authorization', auth).send({ description: 'Now with a live band too!' });
    expect(await notificationsOf(going.id, 'event_update')).toHaveLength(0);
    const later = new Date(event.start_time.getTime() + DAY);
    const res = await agent.patch(`/api/events/${event.uuid}`).set('Authorization', auth)
      .send({ start_time: later.toISOString(), end_time: new Date(later.getTime() + HOUR).toISOString() });
    expect(res.status).toBe(200);
    const venue = await buildVenue();
    await agent.patch(`/api/events/${event.uuid}`).set('Authorization', auth).send({ venue: venue.uuid });
    const notes = await notificationsOf(going.id, 'event_update');
    expect(notes).toHaveLength(2);
    expect(notes[0]!.reference_id).toBe(event.id);
    expect(await notificationsOf(event.host_id, 'event_update')).toHaveLength(0);
  });

  it('keeps the slug of a published event but lets a draft follow its title', async () => {
    const published = await buildEvent({ status: 'published', slug: 'fixed-slug' });
    const draft = await buildEvent({ status: 'draft' });
    const agent = await api();
    const a = await agent.patch(`/api/events/${published.uuid}`).set('Authorization', await bearer(published.host)).send({ title: 'A New Name' });
    expect(a.body.slug).toBe('fixed-slug');
    const b = await agent.patch(`/api/events/${draft.uuid}`).set('Authorization', await bearer(draft.host)).send({ title: 'Pottery Basics' });
    expect(b.body.slug).toBe('pottery-basics');
    expect((await agent.get('/api/events/fixed-slug')).body.title).toBe('A New Name');
  });

  it('lets staff edit anything; others get 403 (visible) or 404 (hidden); hosts cannot edit a cancelled event', async () => {
    const event = await buildEvent({ status: 'cancelled' });
    const draft = await buildEvent({ status: 'draft' });
    const agent = await api();
    expectProblem(await agent.patch(`/api/events/${event.uuid}`).set('Authorization', await bearer(event.host)).send({ title: 'Revived' }), 409);
    const staff = await agent.patch(`/api/events/${event.uuid}`).set('Authorization', await bearer(await buildStaff())).send({ title: 'Fixed typo' });
    expect(staff.status).toBe(200);
    const stranger = await bearer(await buildUser());
    expectProblem(await agent.patch(`/api/events/${event.uuid}`).set('Authorization', stranger).send({ title: 'Mine now' }), 403);
    expectProblem(await agent.patch(`/api/events/${draft.uuid}`).set('Authorization', stranger).send({ title: 'Mine now' }), 404);
    expectProblem(await agent.patch(`/api/events/${draft.uuid}`).send({ title: 'Mine now' }), 401);
    expectProblem(await agent.patch(`/api/events/${draft.uuid}`).set('Authorization', await bearer(draft.host)).send('[1,2]').type('json'), 400);
  });
});
