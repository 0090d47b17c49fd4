import { describe, expect, it } from 'vitest';
import { clock, HOUR, MINUTE } from '../../src/lib/clock.js';
import { UserPhoneOtp } from '../../src/models/index.js';
import { IP_SENDS_PER_10_MIN, IP_VERIFICATIONS_PER_10_MIN } from '../../src/modules/auth/limits.js';
import { phone } from '../support/factories.js';
import { expectProblem, lastCode, newIp, sentTo, signup, verify } from './helpers.js';

/** Runs `fn` over `items` ten at a time (a realistic burst, without exhausting the pool); returns the statuses. */
async function inBatches<T>(items: T[], fn: (item: T) => Promise<{ status: number }>): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < items.length; i += 10) {
    statuses.push(...(await Promise.all(items.slice(i, i + 10).map(fn))).map((r) => r.status));
  }
  return statuses;
}

describe('OTP send limits', () => {
  it('allows 5 codes per phone per hour, then 429 with Retry-After until the oldest leaves the hour', async () => {
    clock.set('2026-03-01T10:00:00Z');
    const number = phone();
    for (let i = 0; i < 5; i++) {
      expect((await signup(number)).status).toBe(200);
      clock.advance(MINUTE);
    }
    const capped = await signup(number);
    expectProblem(capped, 429);
    expect(Number(capped.headers['retry-after'])).toBe(55 * 60); // first send at 10:00, now 10:05
    expect(sentTo(number)).toBe(5);
    expect(await UserPhoneOtp.count({ where: { phone_number: number } })).toBe(5);
    clock.set('2026-03-01T11:00:01Z');
    expect((await signup(number)).status).toBe(200);
  });

  it('allows at most 10 codes per phone per day', async () => {
    clock.set('2026-03-02T00:30:00Z');
    const number = phone();
    for (let i = 0; i < 10; i++) {
      expect((await signup(number)).status, `send ${i + 1}`).toBe(200);
      clock.advance(i === 4 ? HOUR : 5 * MINUTE);
    }
    clock.advance(2 * HOUR);
    const capped = await signup(number);
    expectProblem(capped, 429);
    const retry = Number(capped.headers['retry-after']);
    expect(retry).toBeGreaterThan(18 * 3600);
    expect(retry).toBeLessThanOrEqual(24 * 3600);
    expect(sentTo(number)).toBe(10);
  });

  it('lets at least 100 sends and 100 verifications through from one IP in 10 minutes, then 429', async () => {
    clock.set('2026-03-03T09:00:00Z');
    const ip = newIp();
    const numbers = Array.from({ length: 100 }, () => phone());
    expect(await inBatches(numbers, (n) => signup(n, ip))).toEqual(numbers.map(() => 200));
    expect(await inBatches(numbers, (n) => verify(n, lastCode(n), ip))).toEqual(numbers.map(() => 200));
    const more = Array.from({ length: IP_SENDS_PER_10_MIN - 100 }, () => phone());
    expect(await inBatches(more, (n) => signup(n, ip))).toEqual(more.map(() => 200));
    const sendCapped = await signup(phone(), ip);
    expectProblem(sendCapped, 429);
    expect(Number(sendCapped.headers['retry-after'])).toBeGreaterThan(0);
    await inBatches(Array.from({ length: IP_VERIFICATIONS_PER_10_MIN - 100 }, () => phone()), (n) => verify(n, '0000', ip));
    expectProblem(await verify(numbers[0]!, '0000', ip), 429);
    // Another address is unaffected, and the window reopens.
    expect((await signup(phone(), newIp())).status).toBe(200);
    clock.advance(10 * MINUTE);
    expect((await signup(phone(), ip)).status).toBe(200);
  }, 120_000); // ~500 requests: generous for a loaded machine
});
