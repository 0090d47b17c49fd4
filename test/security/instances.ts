import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import path from 'node:path';

/**
 * A real server process (node src/server.ts) on a test database, for the suites that need more than
 * the in-process app: two instances on one database, SIGKILL in the middle of load. Its log lines
 * are kept (the console SMS provider logs the codes it "sends").
 */
export interface Instance {
  base: string;
  child: ChildProcess;
  lines: string[];
  stop(signal?: NodeJS.Signals): Promise<void>;
}

export async function startInstance(databaseUrl: string, env: Record<string, string> = {}): Promise<Instance> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('src/server.ts')], {
    env: {
      ...process.env, NODE_ENV: 'test', DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1', SCHEDULER: 'off', LOG_LEVEL: 'info',
      DATA_DIR: `.data/test-run/instance-${crypto.randomBytes(4).toString('hex')}`, ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let buffered = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const base = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${lines.slice(-20).join('\n')}`)), 90_000);
    const onData = (chunk: Buffer) => {
      buffered += chunk.toString();
      const parts = buffered.split('\n');
      buffered = parts.pop()!;
      for (const line of parts) {
        lines.push(line);
        const m = /listening on http:\/\/localhost:(\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          resolve(`http://127.0.0.1:${m[1]}`);
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${lines.slice(-20).join('\n')}`));
    });
  });
  return {
    base, child, lines,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

/** The code of the newest SMS an instance's console provider logged for `phone`. */
export function codeSentTo(instance: Instance, phone: string): string {
  for (const line of [...instance.lines].reverse()) {
    if (!line.includes('"sms"') || !line.includes(phone)) continue;
    const body = (JSON.parse(line) as { sms: { body: string } }).sms.body;
    return /\d{4}/.exec(body)![0];
  }
  throw new Error(`no SMS logged for ${phone}`);
}
