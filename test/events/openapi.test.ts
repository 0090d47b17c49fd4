import { describe, expect, it } from 'vitest';
import { EventInterest } from '../../src/models/index.js';
import { api } from '../support/app.js';
import { interest } from '../support/factories.js';
import { expectProblem } from './helpers.js';

describe('interests and the OpenAPI document', () => {
  it('lists active interests without auth, {uuid, name, slug} only, paged by name', async () => {
    await interest('music');
    await interest('tech');
    await EventInterest.create({ name: 'Retired thing', slug: 'retired-thing', is_active: false });
    const agent = await api();
    const res = await agent.get('/api/interests?page_size=100');
    expect(res.status).toBe(200);
    const slugs = res.body.results.map((i: { slug: string }) => i.slug);
    expect(slugs).toEqual(expect.arrayContaining(['music', 'tech']));
    expect(slugs).not.toContain('retired-thing');
    expect(Object.keys(res.body.results[0]).sort()).toEqual(['name', 'slug', 'uuid']);
    const first = await agent.get('/api/interests?page_size=1');
    const second = await agent.get(`/api/interests?page_size=1&cursor=${first.body.next}`);
    expect(second.body.results[0].uuid).not.toBe(first.body.results[0].uuid);
    expectProblem(await agent.get('/api/interests?cursor=bogus'), 400, 'cursor');
  });

  it('documents every discovery path with its methods', async () => {
    const doc = (await (await api()).get('/api/openapi.json')).body;
    const expected: Record<string, string[]> = {
      '/interests': ['get'],
      '/venues': ['get', 'post'],
      '/venues/{uuid}': ['get', 'put', 'patch', 'delete'],
      '/events': ['get', 'post'],
      '/events/{event}': ['get', 'put', 'patch', 'delete'],
      '/events/{event}/publish': ['post'],
      '/events/{event}/cancel': ['post'],
      '/events/{event}/postpone': ['post'],
      '/events/{event}/complete': ['post'],
      '/events/{event}/images': ['get', 'post'],
      '/events/{event}/images/order': ['put'],
      '/events/{event}/images/{uuid}': ['delete'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual([...methods].sort());
    }
    expect(doc.paths['/events'].post.responses['201']).toBeDefined();
    expect(doc.paths['/events/{event}/publish'].post.responses['409']).toBeDefined();
    expect(doc.components.schemas.Event.properties.ticket_price.type).toBe('string');
  });

  it('documents the 304 every GET answers to a matching If-None-Match, and not for a streamed body (SSE, CSV)', async () => {
    const agent = await api();
    const first = await agent.get('/api/interests');
    expect(first.headers.etag).toBeTruthy();
    const again = await agent.get('/api/interests').set('If-None-Match', first.headers.etag!);
    expect(again.status).toBe(304);
    expect(again.text).toBe('');
    const doc = (await agent.get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths['/interests'].get.responses)).toContain('304');
    expect(Object.keys(doc.paths['/uploads/{key}'].get.responses)).toContain('304');
    expect(Object.keys(doc.paths['/events/{event}/availability/stream'].get.responses)).not.toContain('304');
    expect(Object.keys(doc.paths['/events/{event}/attendees.csv'].get.responses)).not.toContain('304');
    expect(Object.keys(doc.paths['/events'].post.responses)).not.toContain('304');
  });
});
