import { Op, fn, col, where } from 'sequelize';
import type { Context } from '../context.js';
import { withTransaction } from '../db/transaction.js';
import { RateLimited, Unauthorized } from '../lib/errors.js';
import { hashPassword, verifyPassword } from '../lib/password.js';
import { hit, release, type Limit } from '../db/rate-limit.js';
import { AuthUser } from '../models/index.js';
import { audit, auditFailure } from '../modules/audit/writer.js';
import type { AdminUser } from './context.js';

/** Failed staff logins allowed per email, and per IP (an office shares one), per 15 minutes. */
export const LOGIN_LIMITS = { perEmail: 5, perIp: 30, windowSeconds: 15 * 60 } as const;

const limits = (email: string, ip: string): Limit[] => [
  { key: `admin-login:email:${email}`, limit: LOGIN_LIMITS.perEmail, windowSeconds: LOGIN_LIMITS.windowSeconds },
  { key: `admin-login:ip:${ip}`, limit: LOGIN_LIMITS.perIp, windowSeconds: LOGIN_LIMITS.windowSeconds },
];

// Verifying against a throwaway hash when the email is unknown keeps the timing of both answers alike.
let decoy: Promise<string> | undefined;

/**
 * Staff sign-in: rate limited per email and per IP (counters in PostgreSQL, shared by instances),
 * argon2 verification, staff or superuser and active only. Success writes last_login and a `login`
 * audit row in one transaction; every refusal is audited on its own (auditFailure) and answered
 * with the same message, so the form does not reveal which accounts exist or are staff.
 */
export async function staffLogin(ctx: Context, input: { email: string; password: string }): Promise<AdminUser> {
  const email = input.email.trim().toLowerCase().slice(0, 254);
  const ip = ctx.ip ?? 'unknown';
  const now = ctx.now();
  // Count the attempt before verifying (one atomic upsert per key), so a burst of parallel guesses
  // cannot all slip under the limit; a successful login gives its count back.
  for (const limit of limits(email, ip)) {
    if ((await hit(limit, now)) > limit.limit) {
      await refuse(ctx, email, null, 'rate limited');
      throw new RateLimited(limit.windowSeconds - ((now.getTime() / 1000) % limit.windowSeconds), 'Too many failed sign-in attempts; try again later');
    }
  }

  const user = email ? await AuthUser.findOne({
    where: { [Op.or]: [where(fn('lower', col('email')), email), { username: email }] },
  }) : null;
  const ok = user
    ? await verifyPassword(user.password, input.password)
    : await verifyPassword(await (decoy ??= hashPassword('decoy-password-never-matches')), `${input.password}\u0000`);
  const reason = !user ? 'unknown email' : !ok ? 'wrong password' : !user.is_active ? 'inactive account'
    : !(user.is_staff || user.is_superuser) ? 'not staff' : null;
  if (reason) {
    await refuse(ctx, email, user, reason);
    throw new Unauthorized('Invalid email or password');
  }

  for (const limit of limits(email, ip)) await release(limit, now);
  const admin = toAdminUser(user!);
  await withTransaction({ ...ctx, actor: admin }, async (tx, txCtx) => {
    await user!.update({ last_login: now }, { transaction: tx });
    await audit(txCtx, { action: 'login', command: 'admin.login', object: { type: 'auth_user', id: user!.id, uuid: user!.uuid } });
  });
  return admin;
}

async function refuse(ctx: Context, email: string, user: AuthUser | null, reason: string): Promise<void> {
  await auditFailure(ctx, {
    action: 'login', command: 'admin.login', userId: user?.id ?? null, errorMessage: reason,
    object: user ? { type: 'auth_user', id: user.id, uuid: user.uuid } : undefined,
    payload: { email }, severity: reason === 'rate limited' ? 'high' : 'medium',
  });
}

export function toAdminUser(user: AuthUser): AdminUser {
  const name = `${user.first_name} ${user.last_name}`.trim();
  return {
    id: user.id, uuid: user.uuid, email: user.email ?? user.username,
    is_staff: user.is_staff, is_superuser: user.is_superuser,
    title: name ? `${name}${user.is_superuser ? ' (superuser)' : ' (staff)'}` : user.username,
  };
}

/** The session's staff member as the database sees them now (revoked staff lose the panel at once). */
export async function currentStaff(id: number): Promise<AdminUser | null> {
  const user = await AuthUser.findByPk(id, { attributes: { exclude: ['password'] } });
  if (!user || !user.is_active || !(user.is_staff || user.is_superuser)) return null;
  return toAdminUser(user);
}
