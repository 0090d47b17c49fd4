import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config.js';

/**
 * The AES-256-GCM key for payout account numbers: PAYOUT_ENCRYPTION_KEY (64 hex), required in
 * production (src/config.ts); in development and tests one is generated once per data dir (mode 600),
 * as src/lib/secrets.ts does for the JWT secret. The key id (a hash prefix, never the key) is stored
 * with each ciphertext, so a rotated key can be told apart from a wrong one.
 */
export interface PayoutKey { id: string; key: Buffer }

let cached: PayoutKey | undefined;

export function payoutKey(): PayoutKey {
  const cfg = config();
  const hex = cfg.PAYOUT_ENCRYPTION_KEY ?? developmentKey(cfg.DATA_DIR);
  if (cached && cached.key.equals(Buffer.from(hex, 'hex'))) return cached;
  const key = Buffer.from(hex, 'hex');
  cached = { key, id: keyIdOf(key) };
  return cached;
}

export const keyIdOf = (key: Buffer): string => crypto.createHash('sha256').update('loopin-payout-key:').update(key).digest('hex').slice(0, 16);

function developmentKey(dataDir: string): string {
  const file = path.join(path.resolve(dataDir), 'payout-encryption.key');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const value = crypto.randomBytes(32).toString('hex');
  try {
    fs.writeFileSync(file, `${value}\n`, { mode: 0o600, flag: 'wx' });
    return value;
  } catch {
    // Another process (a parallel test file) wrote it first: use theirs.
    return fs.readFileSync(file, 'utf8').trim();
  }
}

export interface Sealed { ciphertext: Buffer; nonce: Buffer; tag: Buffer; keyId: string }

/** Encrypts with a fresh 96-bit nonce; `aad` binds the ciphertext to its row (moving it elsewhere fails). */
export function seal(plain: string, aad: string, k: PayoutKey = payoutKey()): Sealed {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', k.key, nonce);
  cipher.setAAD(Buffer.from(aad));
  const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return { ciphertext, nonce, tag: cipher.getAuthTag(), keyId: k.id };
}

export function open(sealed: Sealed, aad: string, k: PayoutKey = payoutKey()): string {
  if (sealed.keyId !== k.id) throw new Error(`payout account sealed with key ${sealed.keyId}, current key is ${k.id}`);
  const decipher = crypto.createDecipheriv('aes-256-gcm', k.key, sealed.nonce);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
}
