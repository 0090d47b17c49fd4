import { describe, expect, it } from 'vitest';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { systemContext } from '../../src/context.js';
import { expireStaleOtps } from '../../src/modules/auth/commands/index.js';
import { AuditLog, AuthUser, RefreshToken, UserPhoneOtp, UserProfile } from '../../src/models/index.js';
import { phone } from '../support/factories.js';
import { expectProblem, lastCode, newIp, signup, verify, wrongCode } from './helpers.js';

const otpOf = (number: string) => UserPhoneOtp.findOne({ where: { phone_number: number }, order: [['id', 'DESC']] });

describe('OTP verification: attempts, races and expiry', () => {
  it('kills the code after 3 wrong tries, even for the right code afterwards', async () => {
    const number = phone();
    await signup(number);
    const code = lastCode(number);
    for (let i = 1; i <= 3; i++) {
      const res = await verify(number, wrongCode(code));
      expectProblem(res, 400, 'otp_code');
      expect((await otpOf(number))!.attempts).toBe(i);
    }
    expect((await otpOf(number))!.status).toBe('failed');
    expectProblem(await verify(number, code), 400, 'otp_code');
    expect(await AuthUser.count({ where: { username: number } })).toBe(0);
    expect(await AuditLog.count({ where: { action: 'login', is_successful: false, command: 'auth.verify_otp' } })).toBeGreaterThanOrEqual(4);
  });

  it('counts 50 concurrent wrong guesses as exactly 3 attempts', async () => {
    const number = phone();
    await signup(number);
    const code = lastCode(number);
    const ip = newIp();
    const results = await Promise.all(Array.from({ length: 50 }, () => verify(number, wrongCode(code), ip)));
    expect(results.map((r) => r.status).every((s) => s === 400)).toBe(true);
    const otp = await otpOf(number);
    expect(otp!.attempts).toBe(3);
    expect(otp!.status).toBe('failed');
    expect(results.filter((r) => /attempt\(s\) left|no attempts left/.test(r.body.detail))).toHaveLength(3);
  });

  it('lets exactly one of many concurrent right verifications log in, creating one user and one profile', async () => {
    const number = phone();
    await signup(number);
    const code = lastCode(number);
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(number, code)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 400)).toHaveLength(19);
    const users = await AuthUser.findAll({ where: { username: number } });
    expect(users).toHaveLength(1);
    expect(await UserProfile.count({ where: { user_id: users[0]!.id } })).toBe(1);
    expect(await RefreshToken.count({ where: { user_id: users[0]!.id } })).toBe(1);
    expect(await AuditLog.count({ where: { action: 'login', user_id: users[0]!.id, is_successful: true } })).toBe(1);
  });

  it('refuses a code once the clock has moved 10 minutes, and marks it expired', async () => {
    const number = phone();
    await signup(number);
    const code = lastCode(number);
    clock.advance(10 * MINUTE);
    const res = await verify(number, code);
    expectProblem(res, 400, 'otp_code');
    expect(res.body.detail).toMatch(/expired/);
    expect((await otpOf(number))!.status).toBe('expired');
  });

  it('accepts the code just before the 10 minutes are up', async () => {
    const number = phone();
    await signup(number);
    clock.advance(10 * MINUTE - 1000);
    expect((await verify(number, lastCode(number))).status).toBe(200);
  });

  it('stops verification after 10 wrong codes for a phone in 24 h, across codes, with Retry-After', async () => {
    const number = phone();
    let right = '';
    for (let round = 0; round < 4; round++) {
      expect((await signup(number)).status).toBe(200);
      right = lastCode(number);
      const tries = round < 3 ? 3 : 1; // 3 + 3 + 3 + 1 = 10 wrong codes
      for (let i = 0; i < tries; i++) expectProblem(await verify(number, wrongCode(right)), 400, 'otp_code');
    }
    const capped = await verify(number, right);
    expectProblem(capped, 429);
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(23 * 3600);
    const sum = await UserPhoneOtp.sum('attempts', { where: { phone_number: number } });
    expect(sum).toBe(10);
    expect(await AuthUser.count({ where: { username: number } })).toBe(0);
  });

  it('keeps the daily wrong-code cap exact under concurrent guesses', async () => {
    const number = phone();
    for (let round = 0; round < 3; round++) {
      await signup(number);
      const code = lastCode(number);
      for (let i = 0; i < 3; i++) await verify(number, wrongCode(code));
    }
    await signup(number); // 9 wrong codes so far; one more may be counted
    const code = lastCode(number);
    const results = await Promise.all(Array.from({ length: 20 }, () => verify(number, wrongCode(code))));
    expect(results.every((r) => r.status === 400 || r.status === 429)).toBe(true);
    expect(await UserPhoneOtp.sum('attempts', { where: { phone_number: number } })).toBe(10);
  });

  it('sweeps expired pending codes with the job command, idempotently', async () => {
    const number = phone();
    await signup(number);
    clock.advance(11 * MINUTE);
    const first = await expireStaleOtps(systemContext('job'));
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect((await otpOf(number))!.status).toBe('expired');
    expect((await expireStaleOtps(systemContext('job'))).expired).toBe(0);
  });
});
