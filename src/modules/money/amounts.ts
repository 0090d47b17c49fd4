import { fromMinor, toMinor } from '../../lib/money.js';

/**
 * Ledger amounts are signed (a refund is −, a sale +). src/lib/money.ts handles the unsigned
 * amounts of orders; these two add the sign, still in integer minor units, never floats.
 */
export function signedToMinor(amount: string | number, field = 'amount'): number {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  return text.startsWith('-') ? -toMinor(text.slice(1), field) : toMinor(text, field);
}

export function formatSigned(minor: number): string {
  return minor < 0 ? `-${fromMinor(-minor)}` : fromMinor(minor);
}
