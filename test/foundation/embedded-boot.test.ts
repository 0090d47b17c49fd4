import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARED_ROOT, clusterLocation, startEmbedded } from '../../src/db/embedded.js';
import { freePort } from '../../src/lib/net.js';

/**
 * `npm start` on a machine with nothing configured: the server starts its own PostgreSQL under the
 * data dir, migrates, seeds, serves /readyz; a restart keeps the data. This is the one test that
 * always exercises the embedded default, also in CI where DATABASE_URL points at a system server.
 * The data dir sits in a fresh `mktemp -d` folder (mode 700): as root, the postgres system user
 * cannot enter it, which is the first start the embedded setup must survive.
 */
const privateFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'loopin-boot-'));
const dataDir = path.join(privateFolder, '.data');
const asRoot = process.getuid?.() === 0;
let child: ChildProcess | undefined;

async function start(port: number): Promise<ChildProcess> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), DATA_DIR: dataDir,
      SCHEDULER: 'off', LOG_LEVEL: 'warn', ADMIN_EMAIL: 'boot@loopin.test', ADMIN_PASSWORD: 'boot-password-1',
      ADMIN_JS_SKIP_BUNDLE: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  proc.stdout!.on('data', (d) => (output += d));
  proc.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`server exited ${proc.exitCode}: ${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.status === 200).catch(() => false);
    if (ok) return proc;
    await new Promise((r) => setTimeout(r, 250));
  }
  proc.kill('SIGKILL');
  throw new Error(`server did not become ready: ${output}`);
}

function runToEnd(args: string[], env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => proc.kill('SIGKILL'), 60_000);
    proc.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

async function stop(proc: ChildProcess): Promise<number | null> {
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  proc.kill('SIGTERM');
  return exited;
}

async function query<T extends pg.QueryResultRow>(sql: string): Promise<T[]> {
  const port = Number(fs.readFileSync(path.join(dataDir, 'port'), 'utf8'));
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', password: 'loopin-embedded', database: 'loopin' });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

const ERD_TABLES = [
  'auth_user', 'user_profile', 'user_phone_otp', 'event_interest', 'venue', 'event', 'event_interest_map',
  'event_image', 'event_request', 'event_invite', 'event_attendee', 'capacity_reservation', 'attendance_record',
  'attendance_otp', 'ticket_secret', 'payment_order', 'payment_transaction', 'payment_webhook', 'notification',
  'audit_log', 'audit_log_summary',
];

afterAll(async () => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  const cluster = clusterLocation(dataDir);
  if (cluster.startsWith(SHARED_ROOT)) fs.rmSync(cluster, { recursive: true, force: true });
  fs.rmSync(privateFolder, { recursive: true, force: true });
});

describe('npm start with no database configured', () => {
  it('boots an embedded PostgreSQL, migrates, seeds, and keeps data across restarts', async () => {
    expect(fs.statSync(privateFolder).mode & 0o777).toBe(0o700);
    const port = await freePort();
    child = await start(port);
    // As root the cluster moved where the postgres user can reach it, still addressed as <data dir>/pg.
    if (asRoot) expect(clusterLocation(dataDir).startsWith(`${SHARED_ROOT}/pg-`)).toBe(true);
    const tables = await query<{ table_name: string }>("select table_name from information_schema.tables where table_schema = 'public'");
    const names = tables.map((t) => t.table_name);
    for (const table of ERD_TABLES) expect(names).toContain(table);
    const [interests] = await query<{ n: string }>('select count(*)::text as n from event_interest');
    expect(Number(interests!.n)).toBeGreaterThanOrEqual(20);
    const admins = await query<{ email: string }>('select email from auth_user where is_superuser');
    expect(admins.map((a) => a.email)).toEqual(['boot@loopin.test']);
    await query("insert into venue (name, city, venue_type, capacity) values ('Survivor Hall', 'Pune', 'indoor', 10)");

    // A second server on the same data dir is refused in one line; the first keeps serving.
    // Not spawnSync: a blocked event loop would let the server close the fetch pool's idle socket unnoticed.
    const second = await runToEnd(['--import', 'tsx', 'src/server.ts'], {
      PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(await freePort()), DATA_DIR: dataDir, SCHEDULER: 'off',
    });
    expect(second.status).not.toBe(0);
    expect(second.stderr.trim()).toMatch(/another Loopin server \(pid \d+\) is using/);
    expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

    expect(await stop(child)).toBe(0);
    expect(fs.existsSync(path.join(dataDir, 'pg', 'postmaster.pid'))).toBe(false);

    child = await start(port);
    const venues = await query<{ name: string }>('select name from venue');
    expect(venues.map((v) => v.name)).toEqual(['Survivor Hall']);
    const [again] = await query<{ n: string }>('select count(*)::text as n from auth_user where is_superuser');
    expect(again!.n).toBe('1');
    expect(await stop(child)).toBe(0);
  }, 240_000);
});

describe('an embedded start that fails', () => {
  it('says what PostgreSQL printed and what to do', async () => {
    const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'loopin-broken-'));
    try {
      // A pg folder that is not a cluster (and not empty): initdb refuses it.
      fs.mkdirSync(path.join(folder, 'pg'), { recursive: true });
      fs.chmodSync(folder, 0o755);
      fs.writeFileSync(path.join(folder, 'pg', 'stray-file'), 'not a cluster');
      const err = await startEmbedded(folder).then(() => null, (e: Error) => e);
      expect(err?.message).toMatch(/embedded PostgreSQL initdb failed/);
      expect(err?.message).toMatch(/initdb: error: directory ".*pg" exists but is not empty/);
      expect(err?.message).toMatch(/What to do: /);
    } finally {
      fs.rmSync(folder, { recursive: true, force: true });
    }
  }, 60_000);
});
