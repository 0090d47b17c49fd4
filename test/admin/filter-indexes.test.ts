import { describe, expect, it } from 'vitest';
import type { Filter } from 'adminjs';
import { adminResources } from '../../src/admin/admin.js';
import { whereFor } from '../../src/admin/filters.js';
import { LoopinResource } from '../../src/admin/resource.js';
import { sequelize } from '../../src/db/connection.js';

/** Master-data tables that stay small (tens of rows): a sequential scan there is the right plan. */
const SMALL = new Set(['venue', 'event_interest', 'job_run']);

/** The value each filter is used with where only some values have an index (partial indexes). */
const SAMPLE: Record<string, unknown> = {
  'event_request.status': 'pending',
  'user_phone_otp.status': 'pending',
  'payment_webhook.processed': 'false',
  'auth_user.is_staff': 'true',
  'auth_user.is_superuser': 'true',
};

function sample(table: string, name: string, type: string): unknown {
  if (`${table}.${name}` in SAMPLE) return SAMPLE[`${table}.${name}`];
  if (type === 'number' || type === 'reference') return '1';
  if (type === 'boolean') return 'true';
  if (type === 'date' || type === 'datetime') return { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' };
  return name.includes('uuid') || name === 'family_id' ? '00000000-0000-4000-8000-000000000000' : 'x';
}

describe('admin filters', () => {
  it('serves every filter of every big table from an index (no scan, no row-by-row filter on it)', async () => {
    const checked: string[] = [];
    for (const { resource: r, options } of adminResources()) {
      const resource = r as LoopinResource;
      const table = resource.id();
      if (SMALL.has(table)) continue;
      for (const name of options.filterProperties ?? []) {
        const property = resource.property(name)!;
        const filter = { filters: { [name]: { path: name, property, value: sample(table, name, property.type()) } } } as unknown as Filter;
        let sql = '';
        // The exact count is what a filtered list pays for (the page itself could walk the primary key).
        await resource.model.count({
          where: whereFor(resource, filter),
          logging: (s: string) => { sql = s.replace(/^Executing \(default\): /, ''); },
        });
        const plan = await sequelize().transaction(async (transaction) => {
          // With sequential scans priced out, the planner still picks one only if no index applies.
          await sequelize().query('set local enable_seqscan = off', { transaction });
          return sequelize().query<{ 'QUERY PLAN': string }>(`explain ${sql}`, { type: 'SELECT' as never, transaction });
        });
        const text = plan.map((p) => p['QUERY PLAN']).join('\n');
        expect(text, `${table}.${name}\n${text}`).not.toMatch(/Seq Scan/);
        // An index walked only to filter row by row does not count: the column must not be a Filter.
        expect(text, `${table}.${name}\n${text}`).not.toMatch(new RegExp(`Filter: .*\\b${name}\\b`));
        checked.push(`${table}.${name}`);
      }
    }
    expect(checked.length).toBeGreaterThan(35);
  });
});
