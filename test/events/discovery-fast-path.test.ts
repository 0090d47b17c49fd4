import { describe, expect, it } from 'vitest';
import { api } from '../support/app.js';
import { buildEvent, buildUser, buildVenue } from '../support/factories.js';

/**
 * Discovery answers from one raw statement and a compiled serializer (discovery-query.ts,
 * src/lib/fast-json.ts); the detail read goes through the model presenter. Both must describe an
 * event identically, field for field, whatever is null or empty.
 */
describe('GET /api/events fast path', () => {
  it('lists each event exactly as GET /api/events/{uuid} presents it (minus images)', async () => {
    const t = `fp${process.pid}`;
    const withAll = await buildEvent({
      title: `${t} full "quoted" \u2028 title`, host: await buildUser({ profile: { name: 'Asha' } }),
      venue_id: (await buildVenue({ city: 'Pune' })).id, interests: ['music', 'tech'], is_paid: true, ticket_price: '499.5',
      gst_number: '27AAAAA0000A1Z5', venue_text: 'Gate 2',
    });
    const bare = await buildEvent({ title: `${t} bare`, host: await buildUser({ profile: false }), cover_images: [] });
    const agent = await api();
    const res = await agent.get(`/api/events?search=${t}&page_size=10`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body.results).toHaveLength(2);
    for (const event of [withAll, bare]) {
      const listed = res.body.results.find((e: { uuid: string }) => e.uuid === event.uuid);
      const { images, ...detail } = (await agent.get(`/api/events/${event.uuid}`)).body;
      expect(images).toEqual([]);
      expect(listed).toEqual(detail);
    }
  });
});
