import { describe, expect, it } from 'vitest';
import { EventImage } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';
import { auditsOf, expectProblem } from './helpers.js';

const positions = async (eventId: number) =>
  (await EventImage.findAll({ where: { event_id: eventId }, order: [['position', 'ASC']] })).map((i) => [i.position, i.image_url]);

describe('event images', () => {
  it('appends, deletes and reorders with dense positions', async () => {
    const event = await buildEvent({ status: 'draft' });
    const agent = await api();
    const auth = await bearer(event.host);
    const added = [];
    for (const name of ['a', 'b', 'c', 'd']) {
      const res = await agent.post(`/api/events/${event.uuid}/images`).set('Authorization', auth).send({ image_url: `https://img.example/${name}.jpg` });
      expect(res.status).toBe(201);
      added.push(res.body);
    }
    expect(added.map((i) => i.position)).toEqual([0, 1, 2, 3]);
    expect(added[0]).not.toHaveProperty('id');

    expect((await agent.delete(`/api/events/${event.uuid}/images/${added[1].uuid}`).set('Authorization', auth)).status).toBe(204);
    expect(await positions(event.id)).toEqual([[0, 'https://img.example/a.jpg'], [1, 'https://img.example/c.jpg'], [2, 'https://img.example/d.jpg']]);

    const order = [added[3].uuid, added[0].uuid, added[2].uuid];
    const res = await agent.put(`/api/events/${event.uuid}/images/order`).set('Authorization', auth).send({ uuids: order });
    expect(res.status).toBe(200);
    expect(res.body.results.map((i: { uuid: string; position: number }) => [i.position, i.uuid])).toEqual(order.map((u, i) => [i, u]));
    expect(await positions(event.id)).toEqual([[0, 'https://img.example/d.jpg'], [1, 'https://img.example/a.jpg'], [2, 'https://img.example/c.jpg']]);
    const listed = await agent.get(`/api/events/${event.uuid}/images`).set('Authorization', auth);
    expect(listed.body.results.map((i: { uuid: string }) => i.uuid)).toEqual(order);
    expect(await auditsOf('events.reorder_images', event.uuid)).toHaveLength(1);
  });

  it('keeps positions dense when images are added concurrently', async () => {
    const event = await buildEvent({ status: 'draft' });
    const agent = await api();
    const auth = await bearer(event.host);
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) =>
      agent.post(`/api/events/${event.uuid}/images`).set('Authorization', auth).send({ image_url: `https://img.example/${i}.jpg` })));
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect((await positions(event.id)).map(([p]) => p)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('refuses a reorder that is not a permutation of the images, and bad input, changing nothing', async () => {
    const event = await buildEvent({ status: 'published' });
    const a = await EventImage.create({ event_id: event.id, image_url: 'https://img.example/a.jpg', position: 0 });
    const b = await EventImage.create({ event_id: event.id, image_url: 'https://img.example/b.jpg', position: 1 });
    const agent = await api();
    const auth = await bearer(event.host);
    const url = `/api/events/${event.uuid}/images/order`;
    expectProblem(await agent.put(url).set('Authorization', auth).send({ uuids: [b.uuid] }), 400, 'uuids');
    expectProblem(await agent.put(url).set('Authorization', auth).send({ uuids: [b.uuid, b.uuid] }), 400, 'uuids');
    expectProblem(await agent.put(url).set('Authorization', auth).send({ uuids: [b.uuid, '00000000-0000-4000-8000-000000000000'] }), 400, 'uuids');
    expectProblem(await agent.put(url).set('Authorization', auth).send({ uuids: ['nope'] }), 400, 'uuids.0');
    expectProblem(await agent.post(`/api/events/${event.uuid}/images`).set('Authorization', auth).send({ image_url: 'not a url' }), 400, 'image_url');
    expectProblem(await agent.post(`/api/events/${event.uuid}/images`).set('Authorization', auth).send({}), 400, 'image_url');
    expectProblem(await agent.delete(`/api/events/${event.uuid}/images/not-a-uuid`).set('Authorization', auth), 404);
    expectProblem(await agent.delete(`/api/events/${event.uuid}/images/00000000-0000-4000-8000-000000000000`).set('Authorization', auth), 404);
    expect(await positions(event.id)).toEqual([[0, a.image_url], [1, b.image_url]]);
  });

  it('lets only the host or staff change images', async () => {
    const event = await buildEvent({ status: 'published' });
    const image = await EventImage.create({ event_id: event.id, image_url: 'https://img.example/a.jpg', position: 0 });
    const other = await buildEvent({ status: 'published' });
    const agent = await api();
    const stranger = await bearer(await buildUser());
    expectProblem(await agent.post(`/api/events/${event.uuid}/images`).set('Authorization', stranger).send({ image_url: 'https://x.example/y.jpg' }), 403);
    expectProblem(await agent.delete(`/api/events/${event.uuid}/images/${image.uuid}`).set('Authorization', stranger), 403);
    // Another event's host cannot reach this image through their own event either.
    expectProblem(await agent.delete(`/api/events/${other.uuid}/images/${image.uuid}`).set('Authorization', await bearer(other.host)), 404);
    expect(await EventImage.count({ where: { event_id: event.id } })).toBe(1);
  });
});
