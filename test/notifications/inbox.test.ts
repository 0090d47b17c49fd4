import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { api, bearer } from '../support/app.js';
import { buildNotification, buildUser } from '../support/factories.js';
import { testDb } from '../support/db.js';
import { clock } from '../../src/lib/clock.js';
import { Notification } from '../../src/models/index.js';

async function inbox(user: { uuid: string }, query = '') {
  return (await api()).get(`/api/notifications${query}`).set('Authorization', await bearer(user));
}

async function auditRows(command: string) {
  return testDb().query<{ object_uuid: string | null; payload: Record<string, unknown> }>(
    'SELECT object_uuid, payload FROM audit_log WHERE command = :command ORDER BY id', { replacements: { command }, type: QueryTypes.SELECT });
}

describe('GET /api/notifications', () => {
  it('lists only my notifications, newest first, with keyset pages that neither skip nor repeat', async () => {
    const me = await buildUser();
    const other = await buildUser();
    await buildNotification({ recipient: other, title: 'not mine' });
    const base = clock.now().getTime();
    // 25 rows, several sharing one created_at (as a broadcast makes them) to exercise the id tie-break.
    const made: string[] = [];
    for (let i = 0; i < 25; i++) {
      const n = await buildNotification({ recipient: me, title: `n${i}`, created_at: new Date(base + Math.floor(i / 3) * 1000) });
      made.push(n.uuid);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await inbox(me, `?page_size=10${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((r: { uuid: string }) => r.uuid));
      cursor = res.body.next;
      pages++;
    } while (cursor);
    expect(pages).toBe(3);
    expect(seen).toEqual([...made].reverse());
    const first = (await inbox(me, '?page_size=1')).body;
    expect(first.results[0]).toMatchObject({ uuid: made[24], title: 'n24', type: 'system', is_read: false, reference: null });
    expect(first.results[0]).not.toHaveProperty('id');
    expect(JSON.stringify(first)).not.toMatch(/"recipient_id"|"email_/);
    expect(first.results[0].created_at).toMatch(/^\d{4}-\d{2}-\d{2}T.*Z$/);
  });

  it('filters unread with ?unread=true and counts unread', async () => {
    const me = await buildUser();
    const read = await buildNotification({ recipient: me, is_read: true });
    const unread = await buildNotification({ recipient: me });
    const res = await inbox(me, '?unread=true');
    expect(res.body.results.map((r: { uuid: string }) => r.uuid)).toEqual([unread.uuid]);
    expect((await inbox(me, '?unread=false')).body.results).toHaveLength(2);
    const count = await (await api()).get('/api/notifications/unread-count').set('Authorization', await bearer(me));
    expect(count.body).toEqual({ unread_count: 1 });
    expect(read.is_read).toBe(true);
  });

  it('presents the sender and the reference by uuid only', async () => {
    const me = await buildUser();
    // Staff without a profile: the account's first and last names (people's names live on their profile).
    const sender = await buildUser({ first_name: 'Asha', last_name: 'Rao', profile: false });
    const ref = crypto.randomUUID();
    await buildNotification({ recipient: me, sender_id: sender.id, reference_type: 'event', reference_id: 42, metadata: { reference_uuid: ref, event_title: 'Jam' } });
    const [n] = (await inbox(me)).body.results;
    expect(n.sender).toEqual({ uuid: sender.uuid, name: 'Asha Rao' });
    expect(n.reference).toEqual({ type: 'event', uuid: ref });
    expect(n.metadata).toEqual({ event_title: 'Jam' });
  });

  it('rejects bad input with a 400 naming the field, and no token with 401', async () => {
    const me = await buildUser();
    for (const [query, field] of [['?page_size=0', 'page_size'], ['?page_size=101', 'page_size'], ['?unread=maybe', 'unread'], ['?cursor=nonsense', 'cursor'],
      [`?cursor=${Buffer.from(JSON.stringify(['yesterday', 'x'])).toString('base64url')}`, 'cursor']] as const) {
      const res = await inbox(me, query);
      expect(res.status, query).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field), query).toContain(field);
    }
    expect((await (await api()).get('/api/notifications')).status).toBe(401);
  });
});

describe('POST /api/notifications/{uuid}/read and /read-all', () => {
  it('marks my notification read once (audited once) and answers 404 for someone else\'s or a malformed uuid', async () => {
    const me = await buildUser();
    const other = await buildUser();
    const mine = await buildNotification({ recipient: me });
    const theirs = await buildNotification({ recipient: other });
    const agent = await api();
    const auth = await bearer(me);
    const res = await agent.post(`/api/notifications/${mine.uuid}/read`).set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ uuid: mine.uuid, is_read: true });
    expect((await agent.post(`/api/notifications/${mine.uuid}/read`).set('Authorization', auth)).status).toBe(200);
    expect(await auditRows('notifications.mark_read')).toEqual([expect.objectContaining({ object_uuid: mine.uuid })]);

    for (const path of [`/api/notifications/${theirs.uuid}/read`, '/api/notifications/not-a-uuid/read', `/api/notifications/${crypto.randomUUID()}/read`]) {
      const refused = await agent.post(path).set('Authorization', auth);
      expect(refused.status, path).toBe(404);
      expect(refused.headers['content-type']).toMatch(/problem\+json/);
    }
    expect((await Notification.findByPk(theirs.id))!.is_read).toBe(false);
    expect((await agent.post(`/api/notifications/${mine.uuid}/read`)).status).toBe(401);
  });

  it('read-all marks only mine, reports how many, and leaves the unread count at 0', async () => {
    const me = await buildUser();
    const other = await buildUser();
    for (let i = 0; i < 3; i++) await buildNotification({ recipient: me });
    await buildNotification({ recipient: me, is_read: true });
    const theirs = await buildNotification({ recipient: other });
    const agent = await api();
    const auth = await bearer(me);
    const res = await agent.post('/api/notifications/read-all').set('Authorization', auth);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ updated: 3, unread_count: 0 });
    expect((await agent.get('/api/notifications/unread-count').set('Authorization', auth)).body).toEqual({ unread_count: 0 });
    expect((await Notification.findByPk(theirs.id))!.is_read).toBe(false);
    expect((await agent.post('/api/notifications/read-all').set('Authorization', auth)).body).toEqual({ updated: 0, unread_count: 0 });
    const rows = await auditRows('notifications.mark_all_read');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.payload).toMatchObject({ updated: 3, source: 'api' });
  });

  it('is documented in the OpenAPI document', async () => {
    const doc = (await (await api()).get('/api/openapi.json')).body;
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining([
      '/notifications', '/notifications/unread-count', '/notifications/read-all', '/notifications/{uuid}/read',
    ]));
    expect(doc.paths['/notifications/{uuid}/read'].post.responses).toHaveProperty('404');
  });
});
