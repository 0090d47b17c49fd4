import { describe, expect, it } from 'vitest';
import { clock, DAY } from '../../src/lib/clock.js';
import { SENDS_PER_DAY, WRONG_CODES_PER_DAY, WRONG_CODES_PER_DEVICE_PER_DAY } from '../../src/modules/auth/limits.js';
import { AuditLog, UserPhoneOtp } from '../../src/models/index.js';
import { api } from '../support/app.js';
import { phone } from '../support/factories.js';
import { expectProblem, lastCode, newIp, wrongCode } from '../auth/helpers.js';

/**
 * "Lockouts are not a weapon": a stranger burning wrong codes or sends for a phone locks out
 * untrusted clients only; the owner's device (device_token from an earlier login) still logs in,
 * and that device's own budget keeps a stolen token from brute forcing.
 */
const send = async (number: string, deviceToken?: string) =>
  (await api()).post('/api/auth/signup').set('X-Forwarded-For', newIp())
    .send({ phone_number: number, ...(deviceToken ? { device_token: deviceToken } : {}) });
const verify = async (number: string, code: string, deviceToken?: string) =>
  (await api()).post('/api/auth/verify-otp').set('X-Forwarded-For', newIp())
    .send({ phone_number: number, otp_code: code, ...(deviceToken ? { device_token: deviceToken } : {}) });

async function ownerLogin(number: string): Promise<string> {
  expect((await send(number)).status).toBe(200);
  const res = await verify(number, lastCode(number));
  expect(res.status).toBe(200);
  expect(res.body.device_token).toMatch(/^d1\./);
  return res.body.device_token as string;
}

/** What an attacker can do without the code: request codes and guess until the phone-wide cap. */
async function burnWrongCodes(number: string): Promise<void> {
  let burnt = 0;
  while (burnt < WRONG_CODES_PER_DAY) {
    expect((await send(number)).status).toBe(200);
    const code = lastCode(number);
    for (let i = 0; i < 3 && burnt < WRONG_CODES_PER_DAY; i++, burnt++) await verify(number, wrongCode(code));
  }
}

describe('phone-OTP lockout', () => {
  it('a stranger burning 10 wrong codes locks out untrusted clients, not the owner\'s known device', async () => {
    const number = phone();
    const device = await ownerLogin(number);
    await burnWrongCodes(number);
    // The phone's hourly sends are spent by the attacker too; the owner's device still gets a code.
    expectProblem(await send(number), 429);
    expect((await send(number, device)).status).toBe(200);
    const right = lastCode(number);
    // Untrusted (a new phone, or the attacker with the right code by luck): capped for the day.
    expectProblem(await verify(number, right), 429);
    // The owner's device is not held by the phone-wide cap.
    const res = await verify(number, right, device);
    expect(res.status).toBe(200);
    expect(res.body.device_token).toMatch(/^d1\./);
  });

  it('a stranger spending the phone\'s daily sends does not keep a code from the owner\'s device', async () => {
    const number = phone();
    const device = await ownerLogin(number);
    for (let i = 1; i < SENDS_PER_DAY; i++) await send(number);
    expectProblem(await send(number), 429);
    expect((await send(number, device)).status).toBe(200);
    expect((await verify(number, lastCode(number), device)).status).toBe(200);
  });

  it('a device token only vouches for its own phone, unforged and unexpired', async () => {
    const mine = phone();
    const other = phone();
    const device = await ownerLogin(mine);
    const otherDevice = await ownerLogin(other);
    await burnWrongCodes(other);
    expectProblem(await send(other, device), 429);
    expect((await send(other, otherDevice)).status).toBe(200);
    const right = lastCode(other);
    expectProblem(await verify(other, right, device), 429);
    const forged = device.replace(/.$/, (c) => (c === '0' ? '1' : '0'));
    expectProblem(await verify(other, right, forged), 429);
    clock.advance(181 * DAY);
    await burnWrongCodes(mine);
    expect((await send(mine)).status).toBe(200);
    expectProblem(await verify(mine, lastCode(mine), device), 429);
  });

  it('a stolen device token cannot brute force: its own budget of wrong codes, then it is untrusted', async () => {
    const number = phone();
    const device = await ownerLogin(number);
    await burnWrongCodes(number);
    let wrong = 0;
    while (wrong < WRONG_CODES_PER_DEVICE_PER_DAY) {
      expect((await send(number, device)).status).toBe(200);
      const code = lastCode(number);
      for (let i = 0; i < 3 && wrong < WRONG_CODES_PER_DEVICE_PER_DAY; i++, wrong++) {
        expectProblem(await verify(number, wrongCode(code), device), 400, 'otp_code');
      }
    }
    // Past its own budget the device is a stranger again, and the phone is capped for strangers:
    // even the right code of the live OTP is refused, and no new code is sent.
    expectProblem(await verify(number, lastCode(number), device), 429);
    expectProblem(await send(number, device), 429);
    const total = await UserPhoneOtp.sum('attempts', { where: { phone_number: number } });
    expect(total).toBe(WRONG_CODES_PER_DAY + WRONG_CODES_PER_DEVICE_PER_DAY);
    expect(await AuditLog.count({ where: { command: 'auth.verify_otp', error_message: 'wrong code (known device)' } })).toBe(WRONG_CODES_PER_DEVICE_PER_DAY);
  });
});
