import { beforeAll, describe, expect, it } from 'vitest';
import type { ActionContext, ActionRequest } from 'adminjs';
import { commandAction, bulkCommandAction } from '../../resources/actions/define.js';
import { adminResources, createAdmin } from '../../src/admin/admin.js';
import { sequelize } from '../../src/db/connection.js';
import { Conflict } from '../../src/lib/errors.js';
import { AuditLog, Venue } from '../../src/models/index.js';
import { seedEveryTable } from './fixtures.js';
import { superuserAgent, type Agent } from './support.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';

const BUILT_IN = new Set(['list', 'show', 'new', 'edit', 'delete', 'bulkDelete', 'search']);

/** Every table's row count and the newest updated_at: a GET must leave all of it as it was. */
async function fingerprint(): Promise<string> {
  const tables = (await sequelize().query<{ t: string }>(
    "select tablename as t from pg_tables where schemaname = 'public' and tablename not in ('admin_session', 'rate_limit') order by 1",
    { type: 'SELECT' as never })).map((r) => r.t);
  const parts: string[] = [];
  const stamped = new Set((await sequelize().query<{ t: string }>(
    "select table_name as t from information_schema.columns where table_schema = 'public' and column_name = 'updated_at'",
    { type: 'SELECT' as never })).map((r) => r.t));
  for (const t of tables) {
    const [row] = await sequelize().query<Record<string, unknown>>(
      `select count(*)::int as n${stamped.has(t) ? ', max(updated_at) as u' : ''} from "${t}"`, { type: 'SELECT' as never });
    parts.push(`${t}:${JSON.stringify(row)}`);
  }
  return parts.join('\n');
}

describe('command actions', () => {
  let agent: Agent;
  beforeAll(async () => {
    await seedEveryTable();
    agent = await superuserAgent();
  });

  it('runs the command on POST only; a GET renders the form and changes nothing', async () => {
    const admin = createAdmin();
    const resource = admin.findResource('venue');
    const venue = await Venue.create({ name: 'Command Venue', venue_type: 'indoor', capacity: 1 });
    const record = (await resource.findOne(String(venue.id)))!;
    const runs: unknown[] = [];
    const action = commandAction({
      label: 'Close venue',
      run: async (ctx, params) => {
        runs.push([ctx.source, ctx.actor?.id, params.id]);
        return 'closed';
      },
    });
    const context = { record, resource, currentAdmin: { id: 1, uuid: 'u', is_staff: true, is_superuser: false, email: 'a@b.c' } } as unknown as ActionContext;
    const get = await action.handler({ method: 'get', params: {} } as ActionRequest, {}, context);
    expect(runs).toEqual([]);
    expect(get.record).toBeDefined();
    const post = await action.handler({ method: 'post', params: {}, payload: {} } as ActionRequest, {}, context);
    expect(runs).toEqual([['admin', 1, venue.id]]);
    expect(post.notice).toEqual({ message: 'closed', type: 'success' });

    const failing = bulkCommandAction({ label: 'Fail', run: async () => { throw new Conflict('already closed'); } });
    const bulk = await failing.handler({ method: 'post', params: {}, payload: {} } as ActionRequest, {}, { ...context, records: [record] } as ActionContext);
    expect(bulk.notice).toMatchObject({ type: 'error' });
  });

  it('GET on every action of every resource (built-in writes and domain commands) changes nothing', async () => {
    await settleSeal(); // sealing audit rows written so far is not a change made by a GET
    const before = await fingerprint();
    const auditRows = await AuditLog.count();
    let calls = 0;
    for (const { resource, options } of adminResources()) {
      const id = resource.id();
      const list = await agent.get(`/admin/api/resources/${id}/actions/list`);
      const record = list.body.records[0] as { id: string } | undefined;
      if (!record) continue;
      const names = new Set([...Object.keys(options.actions ?? {}), 'edit', 'delete', 'bulkDelete']);
      for (const name of names) {
        if (name === 'new' || (BUILT_IN.has(name) && !['edit', 'delete', 'bulkDelete'].includes(name))) continue;
        const type = name === 'bulkDelete' ? 'bulk' : (options.actions as Record<string, { actionType?: string } | undefined> | undefined)?.[name]?.actionType;
        const url = type === 'bulk'
          ? `/admin/api/resources/${id}/bulk/${name}?recordIds=${record.id}`
          : type === 'resource'
            ? `/admin/api/resources/${id}/actions/${name}`
            : `/admin/api/resources/${id}/records/${record.id}/${name}`;
        const res = await agent.get(url);
        expect(res.status, `${id}.${name}`).toBeLessThan(500);
        calls++;
      }
    }
    expect(calls).toBeGreaterThan(40);
    expect(await AuditLog.count()).toBe(auditRows);
    await settleSeal();
    expect(await fingerprint()).toBe(before);
  });
});
