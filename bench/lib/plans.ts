import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';

/**
 * Writes `EXPLAIN (ANALYZE, BUFFERS)` of each statement to bench/plans/<name>.txt — full runs only
 * (the plans on tiny data say nothing, and a quick run in CI must not touch the tree).
 */
export async function keepPlans(url: string, plans: Record<string, { text: string; values?: unknown[] }>, note: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    fs.mkdirSync(path.resolve('bench/plans'), { recursive: true });
    for (const [name, q] of Object.entries(plans)) {
      const { rows } = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${q.text}`, q.values ?? []);
      const body = [`-- ${note}`, `-- ${new Date().toISOString()}`, q.text, q.values?.length ? `-- values: ${JSON.stringify(q.values)}` : '', '',
        ...rows.map((r) => r['QUERY PLAN'])].join('\n');
      fs.writeFileSync(path.resolve(`bench/plans/${name}.txt`), `${body}\n`);
    }
  } finally {
    await c.end();
  }
}
