import { Op, fn, col, where } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { RateLimited, Unauthorized } from '../../../lib/errors.js';
import { hashPassword, verifyPassword } from '../../../lib/password.js';
import { hit, release, type Limit } from '../../../lib/rate-limit.js';
import { AuthUser } from '../../../models/index.js';
import { audit, auditFailure } from '../../audit/writer.js';
import { presentStaffMember, type StaffMember } from '../presenter.js';
import { STAFF_PASSWORD } from '../staff-policy.js';
import { deviceTokenFor, knownDevice, loginLimits } from '../staff-login-limits.js';

// Verifying against a throwaway hash when the account is unknown keeps the timing of both answers alike.
let decoy: Promise<string> | undefined;

export interface StaffLoginInput {
  /** The email or the username (phone) typed into the form. */
  identifier: string;
  password: string;
  /** The device cookie this browser got at its last successful sign-in, if any. */
  deviceToken?: string | null;
}

/**
 * Staff sign-in. Each attempt is counted before the password is checked (one atomic upsert per
 * limit, so parallel guesses cannot slip under it) against the account — whichever identifier was
 * typed — or, from a device this account signed in from before, against that device; and against
 * the IP. Success writes last_login and a `login` audit row, gives the attempt back and renews the
 * device token; every refusal is audited (auditFailure) and answered alike, revealing no account.
 */
export async function staffLogin(ctx: Context, input: StaffLoginInput): Promise<{ staff: StaffMember; deviceToken: string }> {
  const identifier = input.identifier.trim().toLowerCase().slice(0, 254);
  const password = input.password.slice(0, STAFF_PASSWORD.max);
  const now = ctx.now();
  const user = identifier ? await AuthUser.findOne({
    where: { [Op.or]: [where(fn('lower', col('email')), identifier), { username: identifier }] }, order: [['id', 'ASC']],
  }) : null;
  const device = knownDevice(user, input.deviceToken, now);
  const limits = loginLimits(user, identifier, device, ctx.ip ?? 'unknown');
  for (const limit of limits) {
    if ((await hit(limit, now)) > limit.limit) {
      await refuse(ctx, identifier, user, 'rate limited', device);
      throw new RateLimited(limit.windowSeconds - ((now.getTime() / 1000) % limit.windowSeconds), 'Too many failed sign-in attempts; try again later');
    }
  }

  const ok = user
    ? await verifyPassword(user.password, password)
    : await verifyPassword(await (decoy ??= hashPassword('decoy-password-never-matches')), `${password}\u0000`);
  const reason = !user ? 'unknown email' : !ok ? 'wrong password' : !user.is_active ? 'inactive account'
    : !(user.is_staff || user.is_superuser) ? 'not staff' : null;
  if (reason) {
    await refuse(ctx, identifier, user, reason, device);
    throw new Unauthorized('Invalid email or password');
  }

  await releaseAll(limits, now);
  const staff = presentStaffMember(user!);
  await withTransaction({ ...ctx, actor: staff }, async (tx, txCtx) => {
    await user!.update({ last_login: now }, { transaction: tx });
    await audit(txCtx, {
      action: 'login', command: 'admin.login', object: { type: 'auth_user', id: user!.id, uuid: user!.uuid },
      payload: { known_device: !!device },
    });
  });
  return { staff, deviceToken: deviceTokenFor(user!, now) };
}

async function releaseAll(limits: Limit[], now: Date): Promise<void> {
  for (const limit of limits) await release(limit, now);
}

async function refuse(ctx: Context, identifier: string, user: AuthUser | null, reason: string, device: string | null): Promise<void> {
  await auditFailure(ctx, {
    action: 'login', command: 'admin.login', userId: user?.id ?? null, errorMessage: reason,
    object: user ? { type: 'auth_user', id: user.id, uuid: user.uuid } : undefined,
    payload: { email: identifier, known_device: !!device }, severity: reason === 'rate limited' ? 'high' : 'medium',
  });
}

/** The session's staff member as the database sees them now (revoked staff lose the panel at once). */
export async function currentStaff(id: number): Promise<StaffMember | null> {
  const user = await AuthUser.findByPk(id, { attributes: { exclude: ['password'] } });
  if (!user || !user.is_active || !(user.is_staff || user.is_superuser)) return null;
  return presentStaffMember(user);
}
