import { describe, expect, it } from 'vitest';
import { AuditLog, Venue } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildStaff, buildUser, buildVenue } from '../support/factories.js';
import { expectProblem } from '../events/helpers.js';

const body = (over: Record<string, unknown> = {}) => ({
  name: 'The Blue Room', address: '12 MG Road', city: 'Pune', venue_type: 'indoor', capacity: 80, latitude: 18.5204, longitude: 73.8567, ...over,
});

describe('venues', () => {
  it('creates a venue owned by the caller and reads it back', async () => {
    const user = await buildUser();
    const agent = await api();
    const res = await agent.post('/api/venues').set('Authorization', await bearer(user)).send(body());
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: 'The Blue Room', city: 'Pune', latitude: 18.5204, longitude: 73.8567, created_by: { uuid: user.uuid }, is_active: true });
    expect(res.body).not.toHaveProperty('id');
    const read = await agent.get(`/api/venues/${res.body.uuid}`);
    expect(read.body.uuid).toBe(res.body.uuid);
    const audit = await AuditLog.findOne({ where: { command: 'venues.create', object_uuid: res.body.uuid } });
    expect(audit!.actor_user_id).toBe(user.id);
    expectProblem(await agent.post('/api/venues').send(body()), 401);
  });

  const invalid: [string, Record<string, unknown>, string][] = [
    ['empty name', { name: '' }, 'name'],
    ['long name', { name: 'n'.repeat(151) }, 'name'],
    ['long city', { city: 'c'.repeat(101) }, 'city'],
    ['unknown type', { venue_type: 'underwater' }, 'venue_type'],
    ['negative capacity', { capacity: -1 }, 'capacity'],
    ['latitude out of range', { latitude: 91 }, 'latitude'],
    ['longitude out of range', { longitude: -181 }, 'longitude'],
    ['latitude alone', { longitude: undefined }, 'longitude'],
    ['unknown field', { owner: 'me' }, 'body'],
  ];
  it.each(invalid)('refuses %s with a 400 naming the field, creating nothing', async (_n, over, field) => {
    const before = await Venue.count();
    const res = await (await api()).post('/api/venues').set('Authorization', await bearer(await buildUser())).send(body(over));
    expectProblem(res, 400, field);
    expect(await Venue.count()).toBe(before);
  });

  it('lets the creator and staff change a venue, and nobody else', async () => {
    const creator = await buildUser();
    const venue = await buildVenue({ created_by_id: creator.id, name: 'Old Name' });
    const agent = await api();
    const url = `/api/venues/${venue.uuid}`;
    expectProblem(await agent.patch(url).set('Authorization', await bearer(await buildUser())).send({ name: 'Hijacked' }), 403);
    expectProblem(await agent.delete(url).set('Authorization', await bearer(await buildUser())), 403);
    const mine = await agent.patch(url).set('Authorization', await bearer(creator)).send({ name: 'New Name', capacity: 10 });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ name: 'New Name', capacity: 10, city: 'Pune' });
    const audit = await AuditLog.findOne({ where: { command: 'venues.update', object_uuid: venue.uuid } });
    expect(audit!.old_values).toEqual({ name: 'Old Name', capacity: 100 });
    const staff = await agent.put(url).set('Authorization', await bearer(await buildStaff())).send({ name: 'Staff Name' });
    expect(staff.status).toBe(200);
    expect(staff.body).toMatchObject({ name: 'Staff Name', city: null, venue_type: 'indoor', capacity: 0 });
    expectProblem(await agent.patch(url).set('Authorization', await bearer(creator)).send({ latitude: 100 }), 400, 'latitude');
  });

  it('deletes an unused venue and only deactivates one that events use', async () => {
    const creator = await buildUser();
    const unused = await buildVenue({ created_by_id: creator.id });
    const used = await buildVenue({ created_by_id: creator.id });
    await buildEvent({ venue_id: used.id });
    const agent = await api();
    const auth = await bearer(creator);
    expect((await agent.delete(`/api/venues/${unused.uuid}`).set('Authorization', auth)).status).toBe(204);
    expect(await Venue.findByPk(unused.id)).toBeNull();
    expect((await agent.delete(`/api/venues/${used.uuid}`).set('Authorization', auth)).status).toBe(204);
    expect((await Venue.findByPk(used.id))!.is_active).toBe(false);
    // Hidden from others now, still visible to its creator.
    expectProblem(await agent.get(`/api/venues/${used.uuid}`), 404);
    expect((await agent.get(`/api/venues/${used.uuid}`).set('Authorization', auth)).status).toBe(200);
  });

  it('lists active venues by name, filtered by city (any case), type and name search, with keyset pages', async () => {
    const city = `City${process.pid}${Date.now()}`;
    const a = await buildVenue({ name: 'Alpha Hall', city, venue_type: 'indoor' });
    const b = await buildVenue({ name: 'Beta Garden', city, venue_type: 'outdoor' });
    const c = await buildVenue({ name: 'Gamma Hall', city, venue_type: 'indoor' });
    await buildVenue({ name: 'Delta Closed', city, is_active: false });
    const agent = await api();
    const names = async (q: string) => (await agent.get(`/api/venues?city=${city.toLowerCase()}&${q}`)).body.results.map((v: { uuid: string }) => v.uuid);
    expect(await names('')).toEqual([a.uuid, b.uuid, c.uuid]);
    expect(await names('venue_type=indoor')).toEqual([a.uuid, c.uuid]);
    expect(await names('search=hall')).toEqual([a.uuid, c.uuid]);
    const page1 = await agent.get(`/api/venues?city=${city}&page_size=2`);
    expect(page1.body.results).toHaveLength(2);
    const page2 = await agent.get(`/api/venues?city=${city}&page_size=2&cursor=${page1.body.next}`);
    expect(page2.body.results.map((v: { uuid: string }) => v.uuid)).toEqual([c.uuid]);
    expect(page2.body.next).toBeNull();
    expectProblem(await agent.get('/api/venues?venue_type=cave'), 400, 'venue_type');
    expectProblem(await agent.get('/api/venues?cursor=zzz'), 400, 'cursor');
  });

  it('answers 404 for unknown or malformed venue uuids', async () => {
    const agent = await api();
    const auth = await bearer(await buildUser());
    expectProblem(await agent.get('/api/venues/not-a-uuid'), 404);
    expectProblem(await agent.get('/api/venues/00000000-0000-4000-8000-000000000000'), 404);
    expectProblem(await agent.patch('/api/venues/not-a-uuid').set('Authorization', auth).send({ name: 'x' }), 404);
    expectProblem(await agent.delete('/api/venues/00000000-0000-4000-8000-000000000000').set('Authorization', auth), 404);
  });
});
