import { beforeAll, describe, expect, it } from 'vitest';
import { adminResources } from '../../src/admin/admin.js';
import { LoopinResource } from '../../src/admin/resource.js';
import { SECRET_COLUMNS, seedEveryTable } from './fixtures.js';
import { superuserAgent, type Agent } from './support.js';

// Resource ids are table names; listed here (tables initialise only once the file's database is up).
const ids = [
  'auth_user', 'user_profile', 'user_phone_otp', 'event_interest', 'user_profile_interest', 'refresh_token',
  'venue', 'event', 'event_interest_map', 'event_image', 'event_invite',
  'event_request', 'event_attendee', 'capacity_reservation', 'attendance_record', 'attendance_otp', 'ticket_secret',
  'payment_order', 'payment_transaction', 'payment_webhook', 'notification', 'audit_log', 'audit_log_summary', 'job_run',
  'media_upload', 'webhook_endpoint', 'webhook_message', 'webhook_delivery',
  'ledger_entry', 'payout', 'payout_account',
];
let resources: ReturnType<typeof adminResources>;

describe('admin resources', () => {
  let agent: Agent;
  let secretValues: string[];
  beforeAll(async () => {
    resources = adminResources();
    ({ secretValues } = await seedEveryTable());
    agent = await superuserAgent();
  });

  it('has a resource for each of the 21 ERD tables (plus the ones the app added)', () => {
    const erd = [
      'auth_user', 'user_profile', 'user_phone_otp', 'event_interest', 'venue', 'event', 'event_interest_map', 'event_image',
      'event_request', 'event_invite', 'event_attendee', 'capacity_reservation', 'attendance_record', 'attendance_otp',
      'ticket_secret', 'payment_order', 'payment_transaction', 'payment_webhook', 'notification', 'audit_log', 'audit_log_summary',
    ];
    expect(erd).toHaveLength(21);
    for (const table of erd) expect(ids).toContain(table);
    expect(resources.map((r) => (r.resource as LoopinResource).id()).sort()).toEqual([...ids].sort());
  });

  it('declares every known secret column as a secret of its resource', () => {
    for (const [table, columns] of Object.entries(SECRET_COLUMNS)) {
      const resource = resources.find((r) => (r.resource as LoopinResource).id() === table)!.resource as LoopinResource;
      for (const c of columns) expect(resource.rules.secrets, `${table}.${c}`).toContain(c);
    }
  });

  it.each(ids)('%s: list and show answer 200 without any secret column or value', async (id) => {
    const list = await agent.get(`/admin/api/resources/${id}/actions/list`);
    expect(list.status).toBe(200);
    expect(list.body.records.length, `${id} has a seeded row`).toBeGreaterThan(0);
    const first = list.body.records[0];
    const show = await agent.get(`/admin/api/resources/${id}/records/${first.id}/show`);
    expect(show.status).toBe(200);
    for (const body of [list.text, show.text]) {
      for (const v of secretValues) expect(body).not.toContain(v);
      for (const c of SECRET_COLUMNS[id] ?? []) expect(body).not.toContain(`"${c}"`);
      // Populated references (e.g. an event's host) must not leak the user's password either.
      expect(body).not.toMatch(/\$argon2/);
    }
  });

  it('shows no secret in the resource metadata either (properties, filters)', async () => {
    const res = await agent.get('/admin');
    expect(res.status).toBe(200);
    const state = res.text;
    for (const [table, columns] of Object.entries(SECRET_COLUMNS)) {
      for (const c of columns) {
        const resource = resources.find((r) => (r.resource as LoopinResource).id() === table)!.resource;
        expect(resource.properties().map((p: { name(): string }) => p.name()), `${table}.${c}`).not.toContain(c);
      }
    }
    for (const v of secretValues) expect(state).not.toContain(v);
  });

  it('keeps read-only resources read-only: no new, edit or delete for audit, money, webhooks and holds', async () => {
    for (const id of ['audit_log', 'audit_log_summary', 'payment_webhook', 'payment_transaction', 'payment_order', 'capacity_reservation',
      'media_upload', 'webhook_endpoint', 'webhook_message', 'webhook_delivery']) {
      const list = await agent.get(`/admin/api/resources/${id}/actions/list`);
      const record = list.body.records[0];
      const names = (record.recordActions as { name: string }[]).map((a) => a.name);
      expect(names, id).not.toContain('edit');
      expect(names, id).not.toContain('delete');
      expect((record.bulkActions as { name: string }[]).map((a) => a.name), id).not.toContain('bulkDelete');
      // AdminJS answers a refused action with 200 and a forbiddenError notice; what matters is nothing changes.
      const before = await agent.get(`/admin/api/resources/${id}/records/${record.id}/show`);
      const edit = await agent.post(`/admin/api/resources/${id}/records/${record.id}/edit`).type('form').send({ created_at: '2000-01-01T00:00:00Z' });
      expect(edit.body.notice?.message, `${id} edit`).toBe('forbiddenError');
      const del = await agent.post(`/admin/api/resources/${id}/records/${record.id}/delete`);
      expect(del.body.notice?.message, `${id} delete`).toBe('forbiddenError');
      const after = await agent.get(`/admin/api/resources/${id}/records/${record.id}/show`);
      expect(after.body.record.params, id).toEqual(before.body.record.params);
    }
  });

  it('refuses writes to an immutable table even if an action handler tried one', async () => {
    const auditLog = resources.find((r) => (r.resource as LoopinResource).id() === 'audit_log')!.resource as LoopinResource;
    await expect(auditLog.delete('1')).rejects.toMatchObject({ baseError: { message: 'audit_log is read-only' } });
    const venue = resources.find((r) => (r.resource as LoopinResource).id() === 'venue')!.resource as LoopinResource;
    await expect(venue.create({ name: 'Outside an action' })).rejects.toThrow(/audited action/);
  });

  it('filters by indexed columns exactly and answers a nonsense filter with no rows, not an error', async () => {
    const byStatus = await agent.get('/admin/api/resources/payment_order/actions/list?filters.status=paid');
    expect(byStatus.status).toBe(200);
    expect(byStatus.body.meta.total).toBe(1);
    const partial = await agent.get('/admin/api/resources/payment_order/actions/list?filters.status=pai');
    expect(partial.body.meta.total).toBe(0);
    const junk = await agent.get('/admin/api/resources/event/actions/list?filters.host_id=abc&filters.uuid=not-a-uuid');
    expect(junk.status).toBe(200);
    expect(junk.body.meta.total).toBe(0);
    const title = await agent.get('/admin/api/resources/event/actions/list?filters.title=EVENT');
    expect(title.body.meta.total).toBe(1);
  });

  it('sorts lists newest first by default', async () => {
    const list = await agent.get('/admin/api/resources/auth_user/actions/list');
    const got = (list.body.records as { id: string }[]).map((r) => Number(r.id));
    expect(got).toEqual([...got].sort((a, b) => b - a));
    expect(list.body.meta.sortBy).toBe('id');
    expect(list.body.meta.direction).toBe('desc');
  });
});
