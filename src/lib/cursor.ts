import { ValidationFailed } from './errors.js';

/**
 * Opaque keyset cursors: the sort key of the last row, base64url-encoded JSON. A malformed cursor
 * is a 400 naming `cursor`, never a 500.
 */
export function encodeCursor(values: (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number | null)[] | null {
  if (!cursor) return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(values) && values.length === arity && values.every((v) => ['string', 'number'].includes(typeof v) || v === null)) {
      return values as (string | number | null)[];
    }
  } catch {
    // fall through
  }
  throw ValidationFailed.field('cursor', 'is not a valid cursor');
}
