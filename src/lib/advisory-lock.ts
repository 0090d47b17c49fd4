import crypto from 'node:crypto';

/** A stable signed 32-bit key for pg advisory locks, derived from a name. */
export function hashtext(name: string): number {
  return crypto.createHash('sha256').update(name).digest().readInt32BE(0);
}
