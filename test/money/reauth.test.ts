import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { RateLimited, Unauthorized } from '../../src/lib/errors.js';
import { hashPassword } from '../../src/lib/password.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, StaffReauth } from '../../src/models/index.js';
import { REAUTH_MINUTES, ReauthRequired, hasFreshReauth, refundNeedsReauth, requireReauth } from '../../src/admin/reauth.js';
import { buildStaff, buildUser } from '../support/factories.js';
import { actorOf } from './support.js';

async function staffWithPassword() {
  const staff = await buildStaff({ password: await hashPassword('reauth-password-1') });
  return { staff, ctx: createContext({ source: 'admin', actor: actorOf(staff), sessionKey: `sess-${staff.id}` }) };
}

describe('re-authentication', () => {
  it('a correct password leaves a proof for this session only, which expires after REAUTH_MINUTES', async () => {
    const { staff, ctx } = await staffWithPassword();
    await expect(requireReauth(ctx, undefined, 'approve a payout')).rejects.toBeInstanceOf(ReauthRequired);
    await requireReauth(ctx, 'reauth-password-1', 'approve a payout');
    expect(await hasFreshReauth(ctx)).toBe(true);
    expect(await hasFreshReauth({ ...ctx, sessionKey: 'another-session' })).toBe(false);
    await requireReauth(ctx, undefined, 'approve a payout');
    clock.set(new Date(clock.now().getTime() + REAUTH_MINUTES * MINUTE + 1000));
    expect(await hasFreshReauth(ctx)).toBe(false);
    await expect(requireReauth(ctx, undefined, 'approve a payout')).rejects.toBeInstanceOf(ReauthRequired);
    expect(await StaffReauth.count({ where: { user_id: staff.id } })).toBe(1);
    const audits = await AuditLog.findAll({ where: { command: 'admin.reauth', actor_user_id: staff.id }, order: [['id', 'ASC']] });
    expect(audits.map((a) => a.is_successful)).toEqual([false, true, false]);
    expect(audits.map((a) => (a.payload as { purpose?: string }).purpose)).toEqual(['approve a payout', 'approve a payout', 'approve a payout']);
  });

  it('wrong passwords are refused and rate limited per staff member; non-staff cannot re-authenticate', async () => {
    const { ctx } = await staffWithPassword();
    for (let i = 0; i < 5; i++) await expect(requireReauth(ctx, `wrong-${i}`, 'change staff roles')).rejects.toBeInstanceOf(Unauthorized);
    await expect(requireReauth(ctx, 'reauth-password-1', 'change staff roles')).rejects.toBeInstanceOf(RateLimited);
    const user = await buildUser({ password: await hashPassword('user-password-1') });
    await expect(requireReauth(createContext({ source: 'admin', actor: actorOf(user), sessionKey: 's' }), 'user-password-1', 'x')).rejects.toThrow(/staff/);
  });

  it('refunds above REFUND_REAUTH_ABOVE need it, smaller ones do not', () => {
    expect(refundNeedsReauth(500_000)).toBe(false);
    expect(refundNeedsReauth(500_001)).toBe(true);
  });
});

describe('PAYOUT_ENCRYPTION_KEY', () => {
  it('is required in production and must be 64 hex characters', async () => {
    const { loadConfig } = await import('../../src/config.js');
    const { generateKeyPairSync } = await import('node:crypto');
    const ticket = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40), TICKET_SIGNING_KEY: ticket };
    expect(() => loadConfig(prod)).toThrow(/PAYOUT_ENCRYPTION_KEY is required in production/);
    expect(() => loadConfig({ ...prod, PAYOUT_ENCRYPTION_KEY: 'abc' })).toThrow(/PAYOUT_ENCRYPTION_KEY must be 64 hex/);
    expect(loadConfig({ ...prod, PAYOUT_ENCRYPTION_KEY: 'ab'.repeat(32) }).PAYOUT_ENCRYPTION_KEY).toBe('ab'.repeat(32));
  });
});
