import { beforeEach, describe, expect, it } from 'vitest';
import { clock } from '../../src/lib/clock.js';
import { hashPassword } from '../../src/lib/password.js';
import { AuditLog, RateLimit } from '../../src/models/index.js';
import { LOGIN_LIMITS } from '../../src/modules/auth/staff-login-limits.js';
import { buildStaff } from '../support/factories.js';
import { browserAgent, login } from './support.js';

/**
 * The admin login limit is not a weapon (docs/decisions/0110-login-lockout-device-cookies.md):
 * it counts per account whichever identifier is typed, and a stranger burning wrong passwords
 * locks out only devices the account never signed in from — the owner's browser still gets in.
 */
const PASSWORD = 'owner-password-1';

async function owner() {
  return buildStaff({ username: `desk-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`, password: await hashPassword(PASSWORD) });
}

/** An agent from its own IP, so the per-IP limit stays out of the way unless a test wants it. */
let ipCounter = 1;
async function agentFrom(ip = `203.0.113.${ipCounter++}`) {
  return (await browserAgent()).set('X-Forwarded-For', ip);
}

// Each test signs in a dozen times through argon2: generous time on a loaded machine, never a timing assertion.
describe('admin login lockout', { timeout: 90_000 }, () => {
  beforeEach(async () => {
    await RateLimit.destroy({ where: {} });
    clock.set('2026-03-02T10:01:00Z');
  });

  it('counts one budget per account whether the email or the username is typed', async () => {
    const staff = await owner();
    const stranger = await agentFrom();
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) {
      const typed = i % 2 ? staff.username : staff.email!.toUpperCase();
      expect((await login(stranger, typed, `wrong-${i}`)).status).toBe(401);
    }
    // From a device that never signed in, the sixth attempt is refused even with the right password.
    expect((await login(await agentFrom(), staff.username, PASSWORD)).status).toBe(429);
    expect((await login(await agentFrom(), staff.email!, PASSWORD)).status).toBe(429);
  });

  it("lets the owner's known device in while a stranger is locked out", async () => {
    const staff = await owner();
    const ownerBrowser = await agentFrom();
    const first = await login(ownerBrowser, staff.email!, PASSWORD);
    expect(first.status).toBe(302);
    const cookie = ((first.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('loopin.admin.device='));
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\/admin\/login/);

    const stranger = await agentFrom();
    for (let i = 0; i < 3 * LOGIN_LIMITS.perAccount; i++) await login(stranger, staff.email!, `guess-${i}`);
    expect((await login(stranger, staff.email!, PASSWORD)).status).toBe(429);

    expect((await login(ownerBrowser, staff.email!, PASSWORD)).status).toBe(302);
    const audited = await AuditLog.findAll({ where: { command: 'admin.login', user_id: staff.id, is_successful: true } });
    expect(audited.map((a) => (a.payload as { known_device?: boolean }).known_device)).toEqual([false, true]);
  });

  it('limits guesses from a known device on its own budget (a stolen cookie is no free pass)', async () => {
    const staff = await owner();
    const device = await agentFrom();
    expect((await login(device, staff.email!, PASSWORD)).status).toBe(302);
    for (let i = 0; i < LOGIN_LIMITS.perDevice; i++) expect((await login(device, staff.email!, `wrong-${i}`)).status).toBe(401);
    expect((await login(device, staff.email!, PASSWORD)).status).toBe(429);
    // The account's budget for unknown devices was not touched by the device's failures.
    expect((await login(await agentFrom(), staff.email!, PASSWORD)).status).toBe(302);
  });

  it("does not let one account's device cookie stand for another account", async () => {
    const mine = await owner();
    const theirs = await owner();
    const device = await agentFrom();
    expect((await login(device, mine.email!, PASSWORD)).status).toBe(302);
    const stranger = await agentFrom();
    for (let i = 0; i < LOGIN_LIMITS.perAccount; i++) await login(stranger, theirs.email!, `wrong-${i}`);
    expect((await login(device, theirs.email!, PASSWORD)).status).toBe(429);
  });

  it('keeps the per-IP limit across accounts', async () => {
    const ip = '198.51.100.7';
    const accounts = await Promise.all(Array.from({ length: 7 }, () => owner()));
    let n = 0;
    for (const account of accounts) {
      for (let i = 0; i < 5 && n < LOGIN_LIMITS.perIp; i++, n++) {
        expect((await login(await agentFrom(ip), account.email!, `wrong-${n}`)).status).toBe(401);
      }
    }
    const fresh = await owner();
    expect((await login(await agentFrom(ip), fresh.email!, PASSWORD)).status).toBe(429);
    expect((await login(await agentFrom(), fresh.email!, PASSWORD)).status).toBe(302);
  });
});
