import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

/** The compiled production entry (`npm run build`); bench/run.ts builds it when it is missing. */
export const DIST_SERVER = path.resolve('dist/src/server.js');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
    s.once('error', reject);
  });
}

export interface Child {
  base: string;
  child: ChildProcess;
  /** Milliseconds from spawn to the first 200 from the readiness URL. */
  readyMs: number;
  /** CPU ms the process had used when it first answered ready. */
  readyCpuMs: number;
  /** Resident set size of the process now, in MiB (from /proc). */
  rssMiB: () => number;
  stop: () => Promise<void>;
}

/** CPU time (user + system) the process has used, in ms — less noisy than wall time on a shared machine. */
export function cpuMs(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

export function rssMiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
  return kb / 1024;
}

async function waitReady(url: string, child: ChildProcess, started: bigint, stderr: () => string): Promise<number> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${url}: process exited with ${child.exitCode}\n${stderr()}`);
    const ok = await fetch(url).then((r) => r.ok, () => false);
    if (ok) return Number(process.hrtime.bigint() - started) / 1e6;
    if (Number(process.hrtime.bigint() - started) > 120e9) throw new Error(`${url}: not ready after 120 s\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Spawns `node <args>` with `env` on a free port and waits for `<base><ready>` to answer 200. */
export async function spawnServer(args: string[], env: Record<string, string>, ready = '/readyz'): Promise<Child> {
  const port = await freePort();
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, args, {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => {
    err = (err + c.toString()).slice(-4000);
  });
  const base = `http://127.0.0.1:${port}`;
  try {
    const readyMs = await waitReady(base + ready, child, started, () => err);
    const readyCpuMs = cpuMs(child.pid!);
    return {
      base, child, readyMs, readyCpuMs,
      rssMiB: () => rssMiB(child.pid!),
      stop: () => new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
    };
  } catch (e) {
    child.kill('SIGKILL');
    throw e;
  }
}

/** BENCH_CPU_PROF=<dir>: every app and bare process writes a V8 CPU profile there when it stops. */
const profFlags = () => (process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : []);

/** Production requires an Ed25519 key for signed door lists; one per bench run. */
const TICKET_KEY = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

export interface AppOptions {
  databaseUrl: string;
  /** Extra environment (ADMIN_EMAIL, SCHEDULER…). */
  env?: Record<string, string>;
}

/**
 * Loopin as production runs it: NODE_ENV=production, the compiled dist/ entry, its own JWT secret,
 * the scheduler off unless asked (a job waking up mid-measurement is noise, not load).
 */
export function startApp({ databaseUrl, env = {} }: AppOptions): Promise<Child> {
  if (!fs.existsSync(DIST_SERVER)) throw new Error('no dist/ build: run `npm run build` (bench/run.ts does when it is missing)');
  // BENCH_NODE_FLAGS="--flag …": extra node flags for the app processes only (experiments).
  const flags = (process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean);
  return spawnServer([...profFlags(), ...flags, DIST_SERVER], {
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    JWT_SECRET: crypto.randomBytes(32).toString('hex'),
    TICKET_SIGNING_KEY: TICKET_KEY,
    PAYOUT_ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
    SCHEDULER: 'off',
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'info',
    ...env,
  });
}

/** A bare node:http + pg server from bench/bare/<name>.mjs (plain JavaScript, no build, no tsx). */
export function startBare(name: string, databaseUrl: string, ready = '/readyz'): Promise<Child> {
  return spawnServer([...profFlags(), path.resolve(`bench/bare/${name}.mjs`)], { DATABASE_URL: databaseUrl }, ready);
}
