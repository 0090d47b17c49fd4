import crypto from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, inject } from 'vitest';
import { connect, disconnect } from '../../src/db/connection.js';
import { clock } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { config } from '../../src/config.js';
import { withDatabase } from './global-setup.js';

/**
 * Before every test file: a fresh database cloned from the migrated template (fast, isolated,
 * safe for parallel files), models connected to it, the clock reset. Dropped after the file.
 */
const serverUrl = inject('pgServerUrl');
const template = inject('templateDb');
const dbName = `${template.replace('tpl', 't')}_${crypto.randomBytes(4).toString('hex')}`;

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: withDatabase(serverUrl, 'postgres') });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  for (let attempt = 1; ; attempt++) {
    try {
      await adminQuery(`create database ${dbName} template ${template}`);
      break;
    } catch (err) {
      // Two files cloning the same template at once: "source database is being accessed by other users".
      if ((err as { code?: string }).code !== '55006' || attempt > 50) throw err;
      await new Promise((r) => setTimeout(r, 50 + Math.random() * 150));
    }
  }
  connect(withDatabase(serverUrl, dbName), { poolMax: 20 });
  setJwtSecret(config().JWT_SECRET!);
});

afterEach(() => {
  clock.reset();
});

afterAll(async () => {
  await disconnect();
  await adminQuery(`drop database if exists ${dbName} with (force)`);
});

export const testDatabaseUrl = () => withDatabase(serverUrl, dbName);
