import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sequelize } from '../../src/db/connection.js';
import { ESTIMATE_ABOVE } from '../../src/admin/resource.js';
import { EXACT_COUNT_UP_TO } from '../../src/admin/bounded-count.js';
import { buildUser } from '../support/factories.js';
import { superuserAgent, type Agent } from './support.js';

/** Records the SQL the app runs while `fn` runs. */
async function capture(fn: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const options = (sequelize() as unknown as { options: { logging?: unknown } }).options;
  options.logging = (sql: string) => seen.push(sql);
  try {
    await fn();
  } finally {
    options.logging = false;
  }
  return seen;
}

describe('big tables', () => {
  let agent: Agent;
  let recipientId: number;
  const rows = ESTIMATE_ABOVE + 10_000;
  beforeAll(async () => {
    agent = await superuserAgent();
    const user = await buildUser();
    recipientId = user.id;
    await sequelize().query(`
      insert into notification (recipient_id, type, title, message, is_read, created_at, updated_at)
      select :recipient, 'system', 'Note ' || g, 'Body', g % 10 = 0, now() - g * interval '1 second', now()
      from generate_series(1, :rows) g`, { replacements: { recipient: recipientId, rows } });
    await sequelize().query('analyze notification');
  });
  afterEach(() => {
    (sequelize() as unknown as { options: { logging?: unknown } }).options.logging = false;
  });

  it('answers an unfiltered list with the planner estimate, never a COUNT(*)', async () => {
    let res: { status: number; body: { meta: { total: number }; records: unknown[] } } | undefined;
    const sql = await capture(async () => {
      res = await agent.get('/admin/api/resources/notification/actions/list');
    });
    expect(res!.status).toBe(200);
    expect(res!.body.records).toHaveLength(20);
    // reltuples after ANALYZE is within a few percent of the truth (exact for a table this size).
    expect(Math.abs(res!.body.meta.total - rows) / rows).toBeLessThan(0.05);
    const countQueries = sql.filter((q) => /count\(/i.test(q) && /notification/.test(q));
    expect(countQueries).toEqual([]);
    expect(sql.some((q) => /pg_class/.test(q))).toBe(true);
    // Default order is the primary key, newest first.
    expect(sql.some((q) => /FROM "notification".*ORDER BY "Notification"\."id" DESC/s.test(q))).toBe(true);
  });

  it('counts a filtered set exactly up to 10,000 rows', async () => {
    const res = await agent.get('/admin/api/resources/notification/actions/list?filters.is_read=true');
    expect(res.status).toBe(200);
    expect(res.body.meta.total).toBe(rows / 10);
  });

  it('bounds the count of a big filtered set: 10,001 rows at most, then the planner estimate', async () => {
    let total = 0;
    const sql = await capture(async () => {
      const res = await agent.get(`/admin/api/resources/notification/actions/list?filters.recipient_id=${recipientId}`);
      total = res.body.meta.total;
    });
    expect(Math.abs(total - rows) / rows).toBeLessThan(0.05);
    const counts = sql.filter((q) => /count\(/i.test(q) && /notification/.test(q));
    expect(counts.length).toBeGreaterThan(0);
    for (const q of counts) expect(q).toMatch(new RegExp(`LIMIT ${EXACT_COUNT_UP_TO + 1}\\b`));
  });

  it('counts small tables exactly (no estimate below the threshold)', async () => {
    const res = await agent.get('/admin/api/resources/auth_user/actions/list');
    const [{ n }] = await sequelize().query<{ n: number }>('select count(*)::int as n from auth_user', { type: 'SELECT' as never });
    expect(res.body.meta.total).toBe(n);
  });

  it('serves the default list of a big table from an index (no sequential scan)', async () => {
    const plan = await sequelize().query<{ 'QUERY PLAN': string }>(
      'explain select * from notification order by id desc limit 20 offset 0', { type: 'SELECT' as never });
    const text = plan.map((r) => r['QUERY PLAN']).join('\n');
    expect(text).toMatch(/Index Scan Backward/);
    expect(text).not.toMatch(/Seq Scan/);
  });
});
