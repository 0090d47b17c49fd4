import { ValidationFailed } from './errors.js';

/**
 * Money is integer minor units in code, DECIMAL(10,2) in the database and a 2-place string in JSON.
 * Never a float.
 */
const MONEY = /^(0|[1-9]\d{0,7})(\.\d{1,2})?$/;

export function toMinor(amount: string | number, field = 'amount'): number {
  const text = typeof amount === 'number' ? amount.toFixed(2) : amount.trim();
  if (!MONEY.test(text)) throw ValidationFailed.field(field, 'must be a decimal amount with at most 2 places');
  const [whole, frac = ''] = text.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

export function fromMinor(minor: number): string {
  if (!Number.isSafeInteger(minor) || minor < 0) throw new Error(`invalid minor amount ${minor}`);
  return `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
}

/** Normalises a DECIMAL string from the database to exactly two places. */
export function formatMoney(amount: string | number | null | undefined): string {
  return fromMinor(toMinor(amount ?? '0'));
}

export const isMoney = (v: string): boolean => MONEY.test(v);
