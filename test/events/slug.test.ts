import { describe, expect, it } from 'vitest';
import { Event } from '../../src/models/index.js';
import { slugify } from '../../src/modules/events/slug.js';
import { api, bearer } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { eventBody } from './helpers.js';

describe('event slugs', () => {
  it('derives a readable slug from the title', () => {
    expect(slugify('Sunday Jazz & Wine!')).toBe('sunday-jazz-wine');
    expect(slugify('Café Crème — Pune')).toBe('cafe-creme-pune');
    expect(slugify('!!!')).toBe('event');
    expect(slugify('a'.repeat(300)).length).toBe(200);
  });

  it('gives 20 concurrent creates of the same title 20 distinct slugs, all succeeding', async () => {
    const hosts = await Promise.all(Array.from({ length: 20 }, () => buildUser()));
    const agent = await api();
    const body = await eventBody({ title: 'Rooftop Party' });
    const auths = await Promise.all(hosts.map((h) => bearer(h)));
    const results = await Promise.all(auths.map((auth) => agent.post('/api/events').set('Authorization', auth).send(body)));
    expect(results.map((r) => r.status)).toEqual(Array(20).fill(201));
    const slugs = results.map((r) => r.body.slug as string);
    expect(new Set(slugs).size).toBe(20);
    expect(slugs).toContain('rooftop-party');
    expect(slugs.every((s) => s.startsWith('rooftop-party'))).toBe(true);
    expect(await Event.count({ where: { title: 'Rooftop Party' } })).toBe(20);
  });
});
