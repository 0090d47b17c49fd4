import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import pg from 'pg';
import { QueryTypes, Sequelize } from 'sequelize';
import { describe, expect, inject, it } from 'vitest';
import { createMigrator } from '../../src/db/migrate.js';
import { FUNCTIONS } from '../../src/db/functions/index.js';
import { testDb, testDatabaseUrl } from '../support/db.js';
import { withDatabase } from '../support/global-setup.js';

/** The last migration of main before functions moved to src/db/functions: databases built then. */
const BEFORE_FUNCTION_FILES = '0510_audit_chain_sealing';

/** The schema as the catalogs describe it, one sorted line per object (the database name left out). */
async function catalog(db: Sequelize): Promise<string[]> {
  const q = async (sql: string) => (await db.query<{ line: string }>(sql, { type: QueryTypes.SELECT })).map((r) => r.line);
  const parts = await Promise.all([
    q(`SELECT format('column %s.%s %s notnull=%s default=%s', c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,
              pg_get_expr(d.adbin, d.adrelid)) AS line
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
        WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped`),
    q(`SELECT format('constraint %s %s %s', conrelid::regclass, conname, pg_get_constraintdef(oid)) AS line
         FROM pg_constraint WHERE connamespace = 'public'::regnamespace`),
    q(`SELECT format('index %s', indexdef) AS line FROM pg_indexes WHERE schemaname = 'public'`),
    q(`SELECT format('trigger %s', pg_get_triggerdef(oid)) AS line FROM pg_trigger WHERE NOT tgisinternal`),
    q(`SELECT format('function %s', pg_get_functiondef(p.oid)) AS line FROM pg_proc p
        WHERE p.pronamespace = 'public'::regnamespace AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')`),
    q(`SELECT format('sequence %s', sequencename) AS line FROM pg_sequences WHERE schemaname = 'public'`),
    q(`SELECT format('extension %s', extname) AS line FROM pg_extension`),
  ]);
  return parts.flat().sort();
}

/** pg_dump --schema-only when a pg_dump matching the server is installed, else null. */
async function schemaDump(url: string): Promise<string | null> {
  try {
    const { stdout } = await promisify(execFile)('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', url], { maxBuffer: 64 << 20 });
    return stdout.split('\n').filter((l) => !/^\\(un)?restrict /.test(l)).join('\n');
  } catch {
    return null;
  }
}

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: withDatabase(inject('pgServerUrl'), 'postgres') });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

describe('database functions (src/db/functions)', () => {
  it('each live function is exactly its file, with no other overload', async () => {
    for (const f of FUNCTIONS) {
      const live = await testDb().query<{ def: string }>(
        `SELECT pg_get_functiondef(p.oid) AS def FROM pg_proc p WHERE p.proname = :name AND p.pronamespace = 'public'::regnamespace`,
        { replacements: { name: f.name }, type: QueryTypes.SELECT },
      );
      expect(live.map((r) => r.def), f.name).toEqual([f.sql]);
    }
  });

  it('a database built on the previous migration set, then upgraded, ends identical to one migrated from nothing', async () => {
    const name = `${testDatabaseUrl().split('/').pop()}_old`;
    await admin(`create database ${name}`);
    const old = new Sequelize(withDatabase(inject('pgServerUrl'), name), { dialect: 'postgres', logging: false });
    try {
      await createMigrator(old, undefined, { functions: false }).up({ to: BEFORE_FUNCTION_FILES });
      // Built as main built it: the functions of the migrations, e.g. the older joining_admit, no joining_seat.
      const before = await catalog(old);
      expect(before.filter((l) => l.startsWith('function CREATE OR REPLACE FUNCTION public.joining_seat('))).toEqual([]);
      expect(before).not.toEqual(await catalog(testDb()));
      await old.query(`INSERT INTO auth_user (username) VALUES ('+919000000001')`);
      await createMigrator(old).up();

      expect(await catalog(old)).toEqual(await catalog(testDb()));
      const [fresh, upgraded] = await Promise.all([schemaDump(testDatabaseUrl()), schemaDump(withDatabase(inject('pgServerUrl'), name))]);
      if (fresh !== null && upgraded !== null) expect(upgraded).toBe(fresh);
    } finally {
      await old.close();
      await admin(`drop database if exists ${name} with (force)`);
    }
  });
});
