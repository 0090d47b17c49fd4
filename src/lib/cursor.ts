import crypto from 'node:crypto';
import { ValidationFailed } from './errors.js';
import { derivedSecret } from './jwt.js';

/**
 * Opaque keyset cursors: the sort key of the last row, JSON, sealed with AES-256-GCM under a key
 * derived from the server secret (HKDF, purpose "cursor"). Clients can neither read a cursor (no
 * sort value or identifier leaks) nor forge one, so a decoded cursor always holds values this
 * server produced — no out-of-range date or number can reach a query. Anything that does not
 * open (tampered, truncated, another server's) is a 400 naming `cursor`, never a 500.
 * Layout: base64url(12-byte nonce ‖ ciphertext ‖ 16-byte tag).
 */
type CursorValue = string | number | null;

let cached: { secret: string; key: Buffer } | undefined;
function key(): Buffer {
  const secret = derivedSecret('cursor');
  if (cached?.secret !== secret) cached = { secret, key: Buffer.from(secret, 'hex') };
  return cached.key;
}

export function encodeCursor(values: CursorValue[]): string {
  const nonce = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(), nonce);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(values), 'utf8'), cipher.final()]);
  return Buffer.concat([nonce, sealed, cipher.getAuthTag()]).toString('base64url');
}

function open(cursor: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  const raw = Buffer.from(cursor, 'base64url');
  if (raw.length < 12 + 16 + 2) return undefined;
  try {
    const decipher = crypto.createDecipheriv('aes-256-gcm', key(), raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    const plain = Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]);
    return JSON.parse(plain.toString('utf8'));
  } catch {
    return undefined;
  }
}

export function decodeCursor(cursor: string | undefined, arity: number): CursorValue[] | null {
  if (!cursor) return null;
  const values = open(cursor);
  if (Array.isArray(values) && values.length === arity && values.every((v) => ['string', 'number'].includes(typeof v) || v === null)) {
    return values as CursorValue[];
  }
  throw ValidationFailed.field('cursor', 'is not a valid cursor');
}
