import crypto from 'node:crypto';
import pg from 'pg';
import { Sequelize } from 'sequelize';
import { createMigrator } from '../../src/db/migrate.js';

/** `url` with its database replaced by `database`. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

export interface ScratchDatabase {
  name: string;
  url: string;
  /** Drops the database (kept when BENCH_KEEP=1, for EXPLAIN sessions). */
  drop: () => Promise<void>;
}

/** A fresh, migrated database named loopin_bench_<label>_<random> on the server of `serverUrl`. */
export async function scratchDatabase(serverUrl: string, label: string, log: (s: string) => void): Promise<ScratchDatabase> {
  const name = `loopin_bench_${label.replace(/\W/g, '_')}_${crypto.randomBytes(3).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  const db = new Sequelize(url, { dialect: 'postgres', logging: false });
  try {
    await createMigrator(db).up();
  } finally {
    await db.close();
  }
  return {
    name,
    url,
    drop: async () => {
      if (process.env.BENCH_KEEP === '1') return log(`kept database ${name}`);
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

/** A Sequelize handle for seeding (its own pool, closed by the caller); no WAL flush wait per batch (scratch data). */
export const seeder = (url: string) => new Sequelize(url, {
  dialect: 'postgres', logging: false, pool: { max: 4 }, dialectOptions: { options: '-c synchronous_commit=off' },
});

/** VACUUM ANALYZE each table, one statement at a time (VACUUM refuses a multi-statement string). */
export async function vacuumAnalyze(db: Sequelize, tables: string[]): Promise<void> {
  for (const table of tables) await db.query(`VACUUM ANALYZE ${table}`);
}

/** Seeding progress on one line: `label ███░░░ 42% 420,000 / 1,000,000`. */
export function progress(label: string, total: number): (done: number) => void {
  const tty = process.stderr.isTTY;
  let lastPct = -1;
  return (done) => {
    const pct = Math.floor((100 * done) / total);
    if (pct === lastPct) return;
    lastPct = pct;
    const bar = '█'.repeat(Math.round(pct / 5)).padEnd(20, '░');
    const line = `  seeding ${label} ${bar} ${String(pct).padStart(3)}% ${done.toLocaleString()} / ${total.toLocaleString()}`;
    if (tty) process.stderr.write(`\r${line}${done >= total ? '\n' : ''}`);
    else if (done >= total || pct % 25 === 0) process.stderr.write(`${line}\n`);
  };
}

/**
 * Runs a bulk load with the secondary indexes of `tables` dropped, then builds them again (one
 * sort per index instead of a b-tree insert per row: the 1M-row seeds take minutes, not tens of
 * minutes). Indexes backing a constraint (primary keys, unique constraints) stay.
 */
export async function withoutIndexes(db: Sequelize, tables: string[], load: () => Promise<void>, log?: (s: string) => void): Promise<void> {
  const [defs] = await db.query(`
    SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
      FROM pg_index i
     WHERE i.indrelid = ANY (CAST(:tables AS regclass[]))
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, { replacements: { tables: `{${tables.join(',')}}` } }) as [{ name: string; def: string }[], unknown];
  for (const d of defs) await db.query(`DROP INDEX ${d.name}`);
  await load();
  const t0 = Date.now();
  for (const d of defs) await db.query(`SET maintenance_work_mem = '256MB'; ${d.def}`);
  log?.(`rebuilt ${defs.length} index(es) of ${tables.join(', ')} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}
