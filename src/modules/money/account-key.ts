import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { config } from '../../config.js';

/**
 * The AES-256-GCM keys for payout account numbers. PAYOUT_ENCRYPTION_KEY (64 hex) is the current
 * key, required in production (src/config.ts); in development and tests one is generated once per
 * data dir (mode 600), as src/lib/secrets.ts does for the JWT secret. PAYOUT_ENCRYPTION_KEYS_PREVIOUS
 * lists the keys it replaced. Each ciphertext stores its key id (a hash prefix, never the key):
 * rows open with the key they name and are always sealed with the current one
 * (docs/decisions/0800-host-money-ledger.md, "Key rotation").
 */
export interface PayoutKey { id: string; key: Buffer }
export interface PayoutKeyring { current: PayoutKey; byId: ReadonlyMap<string, PayoutKey> }

let cached: { source: string; ring: PayoutKeyring } | undefined;

export function payoutKeyring(): PayoutKeyring {
  const cfg = config();
  const currentHex = cfg.PAYOUT_ENCRYPTION_KEY ?? developmentKey(cfg.DATA_DIR);
  const source = [currentHex, ...cfg.PAYOUT_ENCRYPTION_KEYS_PREVIOUS].join(',').toLowerCase();
  if (cached?.source === source) return cached.ring;
  const keyOf = (hex: string): PayoutKey => {
    const key = Buffer.from(hex, 'hex');
    return { key, id: keyIdOf(key) };
  };
  const current = keyOf(currentHex);
  const byId = new Map([...cfg.PAYOUT_ENCRYPTION_KEYS_PREVIOUS.map(keyOf), current].map((k) => [k.id, k]));
  cached = { source, ring: { current, byId } };
  return cached.ring;
}

/** The key new ciphertexts are sealed with. */
export const payoutKey = (): PayoutKey => payoutKeyring().current;

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

/** Decrypts with the key the ciphertext names (current or previous); an unknown key id is an error naming it. */
export function open(sealed: Sealed, aad: string, ring: PayoutKeyring = payoutKeyring()): string {
  const k = ring.byId.get(sealed.keyId);
  if (!k) throw new UnknownPayoutKey(sealed.keyId, ring.current.id);
  const decipher = crypto.createDecipheriv('aes-256-gcm', k.key, sealed.nonce);
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(sealed.tag);
  return Buffer.concat([decipher.update(sealed.ciphertext), decipher.final()]).toString('utf8');
}

export class UnknownPayoutKey extends Error {
  constructor(readonly keyId: string, currentId: string) {
    super(`payout account sealed with key ${keyId}, which is neither the current key (${currentId}) nor in PAYOUT_ENCRYPTION_KEYS_PREVIOUS`);
  }
}
