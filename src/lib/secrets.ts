import fs from 'node:fs';
import path from 'node:path';
import { randomToken } from './crypto.js';

/**
 * A secret from the environment, or in development one generated once and kept in the data dir
 * (mode 600), so tokens survive restarts without anyone choosing a key.
 */
export function secretFor(name: string, fromEnv: string | undefined, dataDir: string): string {
  if (fromEnv) return fromEnv;
  const file = path.join(path.resolve(dataDir), `${name}.secret`);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = randomToken(48);
  fs.writeFileSync(file, `${value}\n`, { mode: 0o600 });
  return value;
}
