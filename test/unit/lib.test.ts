import { describe, expect, it } from 'vitest';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';
import { hmac, randomDigits, safeEqual } from '../../src/lib/crypto.js';
import { ValidationFailed } from '../../src/lib/errors.js';
import { formatMoney, fromMinor, toMinor } from '../../src/lib/money.js';

describe('money', () => {
  it('converts decimal strings to integer minor units and back without floats', () => {
    expect(toMinor('499.00')).toBe(49900);
    expect(toMinor('0.1')).toBe(10);
    expect(toMinor('19.99')).toBe(1999);
    expect(fromMinor(1999 * 3)).toBe('59.97');
    expect(formatMoney('5')).toBe('5.00');
  });
  it.each(['-1', '1.234', 'abc', '', '1e3', '123456789.00'])('rejects %j with a field error', (bad) => {
    expect(() => toMinor(bad, 'ticket_price')).toThrow(ValidationFailed);
  });
});

describe('cursor', () => {
  it('round-trips and rejects tampering as a 400 on cursor', () => {
    const c = encodeCursor(['2026-01-01T00:00:00.000Z', 42]);
    expect(decodeCursor(c, 2)).toEqual(['2026-01-01T00:00:00.000Z', 42]);
    expect(() => decodeCursor('not-a-cursor', 2)).toThrow(ValidationFailed);
    expect(() => decodeCursor(encodeCursor([1]), 2)).toThrow(ValidationFailed);
  });
});

describe('clock', () => {
  it('can be frozen and advanced', () => {
    clock.set('2030-01-01T00:00:00Z');
    clock.advance(10 * MINUTE);
    expect(clock.now().toISOString()).toBe('2030-01-01T00:10:00.000Z');
    clock.reset();
    expect(Math.abs(clock.now().getTime() - Date.now())).toBeLessThan(1000);
  });
});

describe('crypto', () => {
  it('compares in constant time and makes CSPRNG digits', () => {
    expect(safeEqual(hmac('k', '1234'), hmac('k', '1234'))).toBe(true);
    expect(safeEqual(hmac('k', '1234'), hmac('k', '1235'))).toBe(false);
    expect(safeEqual('short', 'longer')).toBe(false);
    expect(randomDigits(4)).toMatch(/^\d{4}$/);
  });
});
