import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { freePort, isListening } from '../lib/net.js';
import { pidAlive } from '../lib/process.js';

/**
 * An embedded PostgreSQL kept under a data directory (`.data/` by default), for `npm start` on a
 * machine with nothing but Node and for `npm test` without DATABASE_URL.
 * - The port is chosen free on first start and kept beside the data (`port` file), never assumed 5432.
 * - As root, PostgreSQL runs as the `postgres` system user (created if missing). When that user
 *   cannot enter the checkout (root's home, a `mktemp -d` folder), the cluster lives in
 *   /var/lib/loopin-embedded/<digest of the data dir> with `<data dir>/pg` a symlink to it, and
 *   the binaries are copied there once (docs/decisions/0104-embedded-postgres-as-root.md).
 * - Recovers after a crash: a server of ours still running on the kept port is reused; a stale
 *   `postmaster.pid` with no live server behind it is removed.
 * - A failed initdb or start throws with PostgreSQL's own last log lines and what to do.
 */
export interface EmbeddedServer {
  url(database?: string): string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'loopin-embedded';
/** Where clusters and binaries go when the postgres user cannot reach the checkout (root only). */
export const SHARED_ROOT = '/var/lib/loopin-embedded';
const ADVICE = 'What to do: fix the cause PostgreSQL names above, or delete the data directory\'s `pg` folder '
  + '(its data is lost) to start from scratch, or set DATABASE_URL to a PostgreSQL server you run yourself.';

interface RunAs {
  uid: number;
  gid: number;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

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

/** True when a process of uid/gid (no supplementary groups) may traverse every folder down to `target`. */
export function reachableBy(who: RunAs, target: string): boolean {
  let dir = path.resolve(target);
  for (;;) {
    const parent = path.dirname(dir);
    if (fs.existsSync(dir)) {
      const st = fs.statSync(dir);
      const bit = st.uid === who.uid ? 0o100 : st.gid === who.gid ? 0o010 : 0o001;
      if (st.isDirectory() && !(st.mode & bit) && dir !== path.resolve(target)) return false;
    }
    if (parent === dir) return true;
    dir = parent;
  }
}

/** The postgres system user, created when missing (PostgreSQL refuses to run as root). */
function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync('id', [flag, USER], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('sh', ['-c', 'getent group postgres >/dev/null || groupadd --system postgres; useradd --system -g postgres -d /var/lib/postgresql postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

async function packagedBinaries(): Promise<Binaries & { native: string }> {
  const platform = process.platform === 'win32' ? 'windows' : process.platform;
  const mod = (await import(`@embedded-postgres/${platform}-${process.arch}`)) as Binaries;
  return { initdb: mod.initdb, postgres: mod.postgres, native: path.dirname(path.dirname(mod.postgres)) };
}

/** The binaries as `who` can run them: where npm put them, or a copy under SHARED_ROOT made once. */
async function binariesFor(who: RunAs | null): Promise<Binaries> {
  const packaged = await packagedBinaries();
  if (!who || reachableBy(who, packaged.postgres)) return packaged;
  const version = crypto.createHash('sha256').update(fs.realpathSync(packaged.native)).digest('hex').slice(0, 12);
  const copy = path.join(SHARED_ROOT, `bin-${version}`);
  if (!fs.existsSync(path.join(copy, 'bin', 'postgres'))) {
    fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
    const staging = `${copy}.${process.pid}.tmp`;
    fs.cpSync(packaged.native, staging, { recursive: true, verbatimSymlinks: true });
    fs.renameSync(staging, copy);
  }
  return { initdb: path.join(copy, 'bin', 'initdb'), postgres: path.join(copy, 'bin', 'postgres') };
}

/**
 * Where the cluster lives: `<root>/pg`, unless `who` (the postgres user, as root) cannot reach it;
 * then in SHARED_ROOT under a digest of the data dir, with `<root>/pg` a symlink to it.
 */
function clusterDir(root: string, who: RunAs | null): string {
  const local = path.join(root, 'pg');
  if (!who) return local;
  const link = fs.lstatSync(local, { throwIfNoEntry: false });
  if (link?.isSymbolicLink()) return fs.realpathSync(local);
  if (reachableBy(who, local)) return local;
  if (link && fs.existsSync(path.join(local, 'PG_VERSION'))) {
    throw new Error(`embedded PostgreSQL: ${local} holds a cluster the postgres system user cannot reach (a parent folder is private). ${ADVICE}`);
  }
  // Left behind by a start that failed before initdb could write anything.
  if (link) fs.rmSync(local, { recursive: true, force: true });
  const shared = path.join(SHARED_ROOT, `pg-${crypto.createHash('sha256').update(fs.realpathSync(root)).digest('hex').slice(0, 16)}`);
  fs.mkdirSync(SHARED_ROOT, { recursive: true, mode: 0o755 });
  fs.symlinkSync(shared, local);
  return shared;
}

/** Runs a PostgreSQL program, keeping its output; resolves when `ready(output)` or on exit 0. */
function run(file: string, args: string[], who: RunAs | null, log: string[], ready?: (line: string) => boolean): { child: ChildProcess; done: Promise<void> } {
  const child = spawn(file, args, { ...(who ?? {}), env: { LC_MESSAGES: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
  const done = new Promise<void>((resolve, reject) => {
    const keep = (line: string) => {
      if (!line) return;
      log.push(line);
      if (log.length > 40) log.shift();
      if (ready?.(line)) resolve();
    };
    // PostgreSQL writes a message's prefix and text in separate writes on unbuffered stderr: a chunk
    // is not a line, so each stream keeps its unfinished line until the newline (or the exit) comes.
    const reader = () => {
      let partial = '';
      const take = (chunk: Buffer) => {
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop()!;
        for (const line of parts) keep(line);
      };
      return { take, flush: () => { keep(partial); partial = ''; } };
    };
    const out = reader();
    const err = reader();
    child.stdout!.on('data', out.take);
    child.stderr!.on('data', err.take);
    child.once('error', reject);
    // 'close', not 'exit': it comes after both pipes are drained, so no last line is lost.
    child.once('close', (code, signal) => {
      out.flush();
      err.flush();
      if (code === 0 && !ready) resolve();
      else reject(new Error(`${path.basename(file)} exited with ${signal ?? `code ${code}`}`));
    });
  });
  return { child, done };
}

function failure(what: string, cause: unknown, log: string[]): Error {
  const lines = log.length ? log.map((l) => `  ${l}`).join('\n') : '  (PostgreSQL printed nothing)';
  return new Error(`embedded PostgreSQL ${what} failed: ${cause instanceof Error ? cause.message : String(cause)}\n${lines}\n${ADVICE}`);
}

export interface EmbeddedOptions {
  log?: (line: string) => void;
  /** Trade durability for speed (throw-away test clusters only). */
  fast?: boolean;
}

export async function startEmbedded(dataDir: string, { log = () => undefined, fast = false }: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const root = path.resolve(dataDir);
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

  const who = process.getuid?.() === 0 ? postgresUser() : null;
  const bin = await binariesFor(who);
  const dbDir = clusterDir(root, who);
  const output: string[] = [];

  if (!fs.existsSync(path.join(dbDir, 'PG_VERSION'))) {
    log(`initialising an embedded PostgreSQL in ${dbDir}`);
    fs.mkdirSync(dbDir, { recursive: true, mode: 0o700 });
    const pwfile = path.join(path.dirname(dbDir), `.pw-${process.pid}-${crypto.randomBytes(4).toString('hex')}`);
    fs.writeFileSync(pwfile, `${PASSWORD}\n`, { mode: 0o600 });
    if (who) {
      fs.chownSync(dbDir, who.uid, who.gid);
      fs.chownSync(pwfile, who.uid, who.gid);
    }
    try {
      await run(bin.initdb, [
        `--pgdata=${dbDir}`, '--auth=scram-sha-256', `--username=${USER}`, `--pwfile=${pwfile}`,
        '--encoding=UTF8', '--locale=C', '--lc-messages=C',
      ], who, output).done;
    } catch (err) {
      throw failure('initdb', err, output);
    } finally {
      fs.rmSync(pwfile, { force: true });
    }
  }
  removeStalePid(dbDir);

  output.length = 0;
  const server = run(bin.postgres, [
    '-D', dbDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=300',
    ...(fast ? ['-c', 'fsync=off', '-c', 'full_page_writes=off', '-c', 'synchronous_commit=off'] : []),
  ], who, output, (line) => line.includes('database system is ready to accept connections'));
  try {
    await server.done;
  } catch (err) {
    throw failure('start', err, output);
  }
  let exited = false;
  server.child.once('exit', () => (exited = true));
  server.done.catch(() => undefined);
  // A process that exits without stop() (an uncaught error) must not leave the cluster running.
  const onExit = () => server.child.kill('SIGINT');
  process.once('exit', onExit);

  const admin = new pg.Client({ connectionString: url(port)('postgres') });
  await admin.connect();
  const exists = await admin.query("select 1 from pg_database where datname = 'loopin'");
  if (exists.rowCount === 0) await admin.query('create database loopin');
  await admin.end();
  log(`embedded PostgreSQL listening on 127.0.0.1:${port}`);
  return {
    url: url(port),
    stop: async () => {
      process.removeListener('exit', onExit);
      if (exited) return;
      const gone = new Promise<void>((resolve) => server.child.once('exit', () => resolve()));
      server.child.kill('SIGINT');
      await gone;
    },
  };
}

/** Test helper: the folder a data dir's cluster really lives in (follows the SHARED_ROOT symlink). */
export function clusterLocation(dataDir: string): string {
  const local = path.join(path.resolve(dataDir), 'pg');
  return fs.existsSync(local) ? fs.realpathSync(local) : local;
}
