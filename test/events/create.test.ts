import { describe, expect, it } from 'vitest';
import { Event, EventInterest } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildUser, buildVenue, interest } from '../support/factories.js';
import { auditsOf, countEvents, eventBody, expectProblem } from './helpers.js';

describe('POST /api/events', () => {
  it('creates a draft hosted by the caller, with venue, interests and money as a string', async () => {
    const host = await buildUser({ profile: { name: 'Asha Rao' } });
    const venue = await buildVenue({ city: 'Pune' });
    const tech = await interest('tech');
    const body = await eventBody({ venue: venue.uuid, is_paid: true, ticket_price: '499.5', event_interests: ['music', tech.uuid] });
    const res = await (await api()).post('/api/events').set('Authorization', await bearer(host)).send(body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      status: 'draft', slug: 'sunday-jazz-evening', title: body.title, ticket_price: '499.50', is_paid: true,
      going_count: 0, requests_count: 0, host: { uuid: host.uuid, name: 'Asha Rao' },
      venue: { uuid: venue.uuid, name: venue.name, city: 'Pune' }, images: [],
    });
    expect(res.body.interests.map((i: { slug: string }) => i.slug).sort()).toEqual(['music', 'tech']);
    expect(res.body).not.toHaveProperty('id');
    expect(res.body.start_time).toBe(body.start_time);
    const stored = await Event.findOne({ where: { uuid: res.body.uuid } });
    expect(stored!.host_id).toBe(host.id);
    const [entry] = await auditsOf('events.create');
    expect(entry!.object_uuid).toBe(res.body.uuid);
    expect(entry!.new_values).toMatchObject({ title: body.title, status: 'draft' });
  });

  it('needs authentication', async () => {
    const res = await (await api()).post('/api/events').send(await eventBody());
    expectProblem(res, 401);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['title too short', { title: 'ab' }, 'title'],
    ['title too long', { title: 'x'.repeat(201) }, 'title'],
    ['description too short', { description: 'short' }, 'description'],
    ['end before start', { end_time: '2020-01-01T00:00:00Z' }, 'end_time'],
    ['time without offset', { start_time: '2026-12-01 10:00' }, 'start_time'],
    ['negative capacity', { max_capacity: -1 }, 'max_capacity'],
    ['fractional capacity', { max_capacity: 1.5 }, 'max_capacity'],
    ['price as a number', { ticket_price: 10 }, 'ticket_price'],
    ['price with 3 places', { is_paid: true, ticket_price: '1.999' }, 'ticket_price'],
    ['negative price', { is_paid: true, ticket_price: '-5.00' }, 'ticket_price'],
    ['paid at zero', { is_paid: true, ticket_price: '0.00' }, 'ticket_price'],
    ['free with a price', { is_paid: false, ticket_price: '10.00' }, 'ticket_price'],
    ['unknown gender rule', { allowed_genders: 'everyone' }, 'allowed_genders'],
    ['gst too long', { gst_number: 'G'.repeat(51) }, 'gst_number'],
    ['venue text too long', { venue_text: 'v'.repeat(256) }, 'venue_text'],
    ['venue not a uuid', { venue: '12' }, 'venue'],
    ['unknown venue', { venue: '00000000-0000-4000-8000-000000000000' }, 'venue'],
    ['no cover image', { cover_images: [] }, 'cover_images'],
    ['four cover images', { cover_images: ['https://a.example/1', 'https://a.example/2', 'https://a.example/3', 'https://a.example/4'] }, 'cover_images'],
    ['cover not a url', { cover_images: ['javascript:alert(1)'] }, 'cover_images.0'],
    ['no interests', { event_interests: [] }, 'event_interests'],
    ['six interests', { event_interests: ['a', 'b', 'c', 'd', 'e', 'f'] }, 'event_interests'],
    ['unknown interest', { event_interests: ['underwater-chess'] }, 'event_interests'],
    ['repeated interest', { event_interests: ['music', 'music'] }, 'event_interests'],
    ['unknown field', { host: 'someone' }, 'body'],
    ['missing title', { title: undefined }, 'title'],
  ];
  it.each(invalid)('refuses %s with a 400 naming the field and creates nothing', async (_name, over, field) => {
    const host = await buildUser();
    const before = await countEvents();
    const res = await (await api()).post('/api/events').set('Authorization', await bearer(host)).send(await eventBody(over));
    expectProblem(res, 400, field);
    expect(await countEvents()).toBe(before);
  });

  it('refuses an inactive interest and an inactive venue', async () => {
    const host = await buildUser();
    await EventInterest.create({ name: 'Retired', slug: 'retired', is_active: false });
    const venue = await buildVenue({ is_active: false });
    const agent = await api();
    const auth = await bearer(host);
    expectProblem(await agent.post('/api/events').set('Authorization', auth).send(await eventBody({ event_interests: ['retired'] })), 400, 'event_interests');
    expectProblem(await agent.post('/api/events').set('Authorization', auth).send(await eventBody({ venue: venue.uuid })), 400, 'venue');
  });
});
