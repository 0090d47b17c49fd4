import { describe, expect, it } from 'vitest';
import { clock, DAY } from '../../src/lib/clock.js';
import { sequelize } from '../../src/db/connection.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser, buildVenue } from '../support/factories.js';
import { expectProblem } from './helpers.js';

const inDays = (d: number) => new Date(clock.now().getTime() + d * DAY);
const uuids = (res: { body: { results: { uuid: string }[] } }) => res.body.results.map((e) => e.uuid);

/** Every file has its own database, so each test tags its events with a unique word and searches for it. */
let tagSeq = 0;
const tag = () => `zq${process.pid}x${++tagSeq}`;

describe('GET /api/events', () => {
  it('lists only published, public, active events, newest-starting first, with host, venue and interests', async () => {
    const t = tag();
    const venue = await buildVenue({ city: 'Goa' });
    const host = await buildUser({ profile: { name: 'Meera' } });
    const early = await buildEvent({ title: `${t} early`, start_time: inDays(2), host, venue_id: venue.id, interests: ['music', 'tech'] });
    const late = await buildEvent({ title: `${t} late`, start_time: inDays(5) });
    await buildEvent({ title: `${t} draft`, status: 'draft' });
    await buildEvent({ title: `${t} private`, is_public: false });
    await buildEvent({ title: `${t} inactive`, is_active: false });
    await buildEvent({ title: `${t} postponed`, status: 'postponed' });
    await buildEvent({ title: `${t} cancelled`, status: 'cancelled' });
    const res = await (await api()).get(`/api/events?search=${t}`);
    expect(res.status).toBe(200);
    expect(uuids(res)).toEqual([late.uuid, early.uuid]);
    expect(res.body.next).toBeNull();
    const first = res.body.results[1];
    expect(first).toMatchObject({ host: { uuid: host.uuid, name: 'Meera' }, venue: { uuid: venue.uuid, city: 'Goa' }, status: 'published' });
    expect(first.interests.map((i: { slug: string }) => i.slug).sort()).toEqual(['music', 'tech']);
    const soonest = await (await api()).get(`/api/events?search=${t}&ordering=start_time`);
    expect(uuids(soonest)).toEqual([early.uuid, late.uuid]);
  });

  it('filters by search (title or description, any case), interest, city, dates, price and host', async () => {
    const t = tag();
    const pune = await buildVenue({ city: 'Pune' });
    const host = await buildUser();
    const a = await buildEvent({ title: `${t} Jazz Night`, interests: ['music'], venue_id: pune.id, start_time: inDays(3) });
    const b = await buildEvent({ title: `${t} Tech Talk`, description: 'Rust and GRAPHQL deep dive', interests: ['tech'], start_time: inDays(6), host });
    const c = await buildEvent({ title: `${t} Paid Gala`, is_paid: true, ticket_price: '999.00', start_time: inDays(9), venue_id: pune.id });
    const agent = await api();
    const q = async (query: string) => uuids(await agent.get(`/api/events?search=${t}&${query}`));
    expect(uuids(await agent.get(`/api/events?search=${t.toUpperCase()}%20JAZZ`))).toEqual([a.uuid]);
    expect(await q('')).toEqual([c.uuid, b.uuid, a.uuid]);
    expect(uuids(await agent.get('/api/events?search=graphql%20deep'))).toContain(b.uuid);
    expect(await q('interest=tech')).toEqual([b.uuid]);
    expect(await q('interest=no-such-interest')).toEqual([]);
    expect(await q('city=pUNE')).toEqual([c.uuid, a.uuid]);
    expect(await q(`starts_after=${encodeURIComponent(inDays(5).toISOString())}`)).toEqual([c.uuid, b.uuid]);
    expect(await q(`starts_before=${encodeURIComponent(inDays(5).toISOString())}`)).toEqual([a.uuid]);
    expect(await q('is_paid=true')).toEqual([c.uuid]);
    expect(await q('is_paid=false')).toEqual([b.uuid, a.uuid]);
    expect(await q(`host=${host.uuid}`)).toEqual([b.uuid]);
    expect(await q(`city=pune&is_paid=false&interest=music`)).toEqual([a.uuid]);
    // LIKE wildcards in the search are literal characters.
    expect(uuids(await agent.get(`/api/events?search=${t}%25`))).toEqual([]);
  });

  it('pages with an opaque cursor without duplicates or gaps while events are inserted between pages', async () => {
    const t = tag();
    const start = inDays(10);
    // Equal start times on purpose: the uuid breaks the tie.
    const made = [];
    for (let i = 0; i < 7; i++) made.push(await buildEvent({ title: `${t} ${i}`, start_time: new Date(start.getTime() + (i % 3) * 1000) }));
    const agent = await api();
    const seen: string[] = [];
    let next: string | null = null;
    let inserted = 0;
    do {
      const res = await agent.get(`/api/events?search=${t}&page_size=2${next ? `&cursor=${next}` : ''}`);
      expect(res.status).toBe(200);
      expect(res.body.results.length).toBeLessThanOrEqual(2);
      seen.push(...uuids(res));
      next = res.body.next;
      // New events land both before and after the cursor position.
      await buildEvent({ title: `${t} new-early ${inserted}`, start_time: inDays(30 + inserted) });
      await buildEvent({ title: `${t} new-late ${inserted}`, start_time: inDays(-30 - inserted) });
      inserted++;
    } while (next);
    expect(new Set(seen).size).toBe(seen.length);
    for (const e of made) expect(seen).toContain(e.uuid);
    expect(JSON.stringify(next)).not.toMatch(/"id"/);
  });

  it('keeps numeric ids out of the cursor and refuses a forged one with a 400 naming cursor', async () => {
    const t = tag();
    await buildEvent({ title: `${t} a` });
    await buildEvent({ title: `${t} b` });
    const agent = await api();
    const res = await agent.get(`/api/events?search=${t}&page_size=1`);
    // Sealed (src/lib/cursor.ts): neither the sort key nor the uuid is readable in the cursor.
    expect(Buffer.from(res.body.next, 'base64url').toString('latin1')).not.toContain(res.body.results[0].uuid);
    expect((await agent.get(`/api/events?search=${t}&page_size=1&cursor=${res.body.next}`)).body.results[0].uuid).not.toBe(res.body.results[0].uuid);
    for (const bad of ['garbage', Buffer.from('[1,2]').toString('base64url'), Buffer.from('["2026-13-45 99:00:00+00","x"]').toString('base64url'),
      Buffer.from('["2026-02-30 10:00:00+00","00000000-0000-4000-8000-000000000000"]').toString('base64url')]) {
      expectProblem(await agent.get(`/api/events?cursor=${bad}`), 400, 'cursor');
    }
  });

  it('lists the caller\'s own events with mine=true, drafts included, and needs a token for it', async () => {
    const host = await buildUser();
    const draft = await buildEvent({ host, status: 'draft', start_time: inDays(1) });
    const priv = await buildEvent({ host, is_public: false, start_time: inDays(2) });
    await buildEvent({ host, is_active: false });
    await buildEvent();
    const agent = await api();
    const res = await agent.get('/api/events?mine=true').set('Authorization', await bearer(host));
    expect(uuids(res)).toEqual([priv.uuid, draft.uuid]);
    expect(res.body.results[1].status).toBe('draft');
    expectProblem(await agent.get('/api/events?mine=true'), 401);
  });

  it('refuses bad filters with a 400 naming the field', async () => {
    const agent = await api();
    for (const [query, field] of [
      ['is_paid=maybe', 'is_paid'], ['host=12', 'host'], ['starts_after=yesterday', 'starts_after'], ['page_size=0', 'page_size'],
      ['page_size=101', 'page_size'], ['ordering=title', 'ordering'], ['mine=1', 'mine'], [`search=${'s'.repeat(101)}`, 'search'],
    ]) {
      expectProblem(await agent.get(`/api/events?${query}`), 400, field);
    }
  });

  it('loads a page in a fixed number of queries, whatever its size', async () => {
    const t = tag();
    for (let i = 0; i < 12; i++) {
      await buildEvent({ title: `${t} ${i}`, host: await buildUser(), venue_id: (await buildVenue()).id, interests: ['music', 'tech'] });
    }
    const agent = await api();
    const count = async (size: number) => {
      let queries = 0;
      // Sequelize reads options.logging on every query: counting through it sees every statement.
      const db = sequelize() as unknown as { options: { logging: unknown } };
      const before = db.options.logging;
      db.options.logging = () => {
        queries++;
      };
      try {
        const res = await agent.get(`/api/events?search=${t}&page_size=${size}`);
        expect(res.body.results).toHaveLength(size);
      } finally {
        db.options.logging = before;
      }
      return queries;
    };
    const small = await count(2);
    const large = await count(12);
    expect(large).toBe(small);
    expect(small).toBeGreaterThanOrEqual(1);
    expect(large).toBeLessThanOrEqual(4);
  });
});
