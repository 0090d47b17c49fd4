import fs from 'node:fs';
import path from 'node:path';
import { pidAlive } from '../lib/process.js';

/**
 * One server per data directory: two would share one embedded PostgreSQL and the first to stop would
 * take it from the other (jobs, migrate, seed:demo take no lock). Returns a release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = path.join(path.resolve(dataDir), 'server.pid');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (fs.existsSync(file)) {
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new Error(`another Loopin server (pid ${pid}) is using ${path.resolve(dataDir)}; stop it or set DATA_DIR`);
    }
  }
  fs.writeFileSync(file, `${process.pid}\n`);
  return () => {
    if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.rmSync(file, { force: true });
  };
}

function alive(pid: number): boolean {
  if (!pidAlive(pid)) return false;
  // On Linux, a recycled pid that is not a node process is not a Loopin server.
  const cmdline = `/proc/${pid}/cmdline`;
  return !fs.existsSync(cmdline) || fs.readFileSync(cmdline, 'utf8').includes('node');
}
