import crypto from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { Sequelize } from 'sequelize';
import { startEmbedded } from '../../src/db/embedded.js';
import { createMigrator } from '../../src/db/migrate.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgServerUrl: string;
    templateDb: string;
  }
}

/** Replaces the database name of a postgres URL. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * Once per `npm test`: find a PostgreSQL (DATABASE_URL, or an embedded one started here), build a
 * migrated template database, and hand both to the test files, which clone the template per file.
 */
export default async function setup(project: TestProject) {
  try {
    return await prepare(project);
  } catch (err) {
    // vitest reports a failing global setup by exit code alone: say why, then fail.
    const why = err instanceof Error ? err.stack ?? err.message : String(err);
    process.stderr.write(`\n[test] global setup failed, no test ran:\n${why}\n\n`);
    throw err instanceof Error ? err : new Error(why);
  }
}

async function prepare(project: TestProject) {
  let serverUrl = process.env.DATABASE_URL;
  let stop: (() => Promise<void>) | undefined;
  if (!serverUrl) {
    console.log('[test] DATABASE_URL is not set: starting an embedded PostgreSQL under .data/test-pg');
    const server = await startEmbedded(path.resolve('.data/test-pg'), { fast: true, log: (l) => console.log(`[test] ${l}`) });
    serverUrl = server.url('postgres');
    stop = server.stop;
  }
  const template = `loopin_tpl_${crypto.randomBytes(5).toString('hex')}`;
  const admin = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await admin.connect();
  await admin.query(`create database ${template}`);
  const seq = new Sequelize(withDatabase(serverUrl, template), { dialect: 'postgres', logging: false });
  await createMigrator(seq).up();
  await seq.close();
  project.provide('pgServerUrl', serverUrl);
  project.provide('templateDb', template);

  return async () => {
    await admin.query(`drop database if exists ${template} with (force)`).catch(() => undefined);
    // Drop per-file databases a crashed worker may have left behind.
    const left = await admin.query(`select datname from pg_database where datname like '${template.replace('tpl', 't')}%'`);
    for (const row of left.rows) await admin.query(`drop database if exists ${row.datname} with (force)`).catch(() => undefined);
    await admin.end();
    await stop?.();
  };
}
