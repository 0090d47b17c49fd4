import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryTypes, type Sequelize } from 'sequelize';
import { FUNCTIONS } from './functions/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The migration names umzug records (src/db/migrate.ts: migrations/*.{ts,js}, no .d.ts or tests). */
export function migrationNames(dir = path.join(here, 'migrations')): string[] {
  return fs.readdirSync(dir)
    .filter((f) => /\.(ts|js)$/.test(f) && !/\.(d|test)\.ts$/.test(f))
    .map((f) => f.replace(/\.(ts|js)$/, ''))
    .sort();
}

/**
 * True when every migration is recorded in schema_migrations and every function of
 * src/db/functions is live exactly as its file spells it (one overload, pg_get_functiondef equal):
 * then there is nothing for umzug to do. One query; any error (a fresh database) means "no".
 */
export async function schemaIsCurrent(db: Sequelize): Promise<boolean> {
  try {
    const [r] = await db.query<{ missing: number; stale: number }>(`
      SELECT (SELECT count(*) FROM unnest($names::text[]) n(name)
               WHERE NOT EXISTS (SELECT 1 FROM schema_migrations m WHERE m.name = n.name))::int AS missing,
             (SELECT count(*) FROM unnest($fnames::text[], $defs::text[]) f(name, def)
               WHERE (SELECT array_agg(pg_get_functiondef(p.oid)) FROM pg_proc p
                       WHERE p.proname = f.name AND p.pronamespace = 'public'::regnamespace) IS DISTINCT FROM ARRAY[f.def])::int AS stale`, {
      bind: { names: migrationNames(), fnames: FUNCTIONS.map((f) => f.name), defs: FUNCTIONS.map((f) => f.sql) },
      type: QueryTypes.SELECT,
    });
    return r!.missing === 0 && r!.stale === 0;
  } catch {
    return false;
  }
}

/**
 * Server start: nothing to do on a migrated database costs one query; otherwise umzug (loaded only
 * then: it and its CLI dependencies are ≈ 0.2 s of CPU) applies what is pending under its lock.
 */
export async function migrateOnStart(db: Sequelize): Promise<string[]> {
  if (await schemaIsCurrent(db)) return [];
  const { migrateUp } = await import('./migrate.js');
  return migrateUp(db);
}
