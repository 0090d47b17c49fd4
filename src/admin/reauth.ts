import { Op } from 'sequelize';
import { config } from '../config.js';
import { isStaff, type Context } from '../context.js';
import { toMinor } from '../lib/money.js';
import { withTransaction } from '../db/transaction.js';
import { Forbidden, RateLimited, Unauthorized } from '../lib/errors.js';
import { MINUTE } from '../lib/clock.js';
import { verifyPassword } from '../lib/password.js';
import { hit } from '../db/rate-limit.js';
import { AuthUser, StaffReauth } from '../models/index.js';
import { audit, auditFailure } from '../modules/audit/writer.js';

/**
 * Re-authentication for the panel's most dangerous actions (payout approval and completion, large
 * refunds, staff role changes): the staff member types their password again. A correct password
 * leaves a proof (staff_reauth) bound to this staff member AND this panel session, valid
 * REAUTH_MINUTES; within that window the next sensitive action needs no password. Proofs and
 * refusals are audited; wrong passwords are rate limited per staff member.
 */
export const REAUTH_MINUTES = 5;
export const REAUTH_LIMIT = { perUser: 5, windowSeconds: 15 * 60 } as const;

/** Refunds above REFUND_REAUTH_ABOVE (minor units compared, any currency) need re-authentication in the panel. */
export const refundNeedsReauth = (amountMinor: number): boolean => amountMinor > toMinor(config().REFUND_REAUTH_ABOVE, 'REFUND_REAUTH_ABOVE');

export class ReauthRequired extends Forbidden {
  constructor(what: string) {
    super(`Confirm your password to ${what} (asked again after ${REAUTH_MINUTES} minutes)`);
  }
}

/** Checks the password and records a proof for this session; wrong → 401 (audited), too many → 429. */
export async function proveReauth(ctx: Context, password: string, purpose: string): Promise<void> {
  const actor = ctx.actor;
  if (!actor || !isStaff(actor)) throw new Forbidden('Only staff re-authenticate');
  const now = ctx.now();
  const limit = { key: `admin-reauth:user:${actor.id}`, limit: REAUTH_LIMIT.perUser, windowSeconds: REAUTH_LIMIT.windowSeconds };
  if ((await hit(limit, now)) > limit.limit) {
    await refuse(ctx, purpose, 'rate limited');
    throw new RateLimited(limit.windowSeconds, 'Too many wrong passwords; try again later');
  }
  const user = await AuthUser.findByPk(actor.id, { attributes: ['id', 'uuid', 'password', 'is_active', 'is_staff', 'is_superuser'] });
  const ok = !!user && user.is_active && (user.is_staff || user.is_superuser) && (await verifyPassword(user.password, password));
  if (!ok) {
    await refuse(ctx, purpose, 'wrong password');
    throw new Unauthorized('That password is not correct');
  }
  await withTransaction(ctx, async (tx, ctx) => {
    if (ctx.sessionKey) {
      await StaffReauth.create({
        user_id: actor.id, session_key: ctx.sessionKey, verified_at: now, expires_at: new Date(now.getTime() + REAUTH_MINUTES * MINUTE),
      }, { transaction: tx });
    }
    await audit(ctx, {
      action: 'login', command: 'admin.reauth', severity: 'high',
      object: { type: 'auth_user', id: actor.id, uuid: actor.uuid },
      payload: { purpose, valid_minutes: REAUTH_MINUTES },
    });
  });
}

/** A proof of this staff member in this session that has not expired. */
export async function hasFreshReauth(ctx: Context): Promise<boolean> {
  if (!ctx.actor || !ctx.sessionKey) return false;
  const proof = await StaffReauth.findOne({
    where: { user_id: ctx.actor.id, session_key: ctx.sessionKey, expires_at: { [Op.gt]: ctx.now() } }, attributes: ['id'],
  });
  return !!proof;
}

/** The gate: a password given now is checked; none given needs a fresh proof. */
export async function requireReauth(ctx: Context, password: string | undefined, purpose: string): Promise<void> {
  if (password) return proveReauth(ctx, password, purpose);
  if (!(await hasFreshReauth(ctx))) {
    await refuse(ctx, purpose, 'no fresh re-authentication');
    throw new ReauthRequired(purpose);
  }
}

async function refuse(ctx: Context, purpose: string, reason: string): Promise<void> {
  await auditFailure(ctx, {
    action: 'login', command: 'admin.reauth', errorMessage: reason, severity: 'high',
    object: ctx.actor ? { type: 'auth_user', id: ctx.actor.id, uuid: ctx.actor.uuid } : undefined,
    payload: { purpose },
  });
}
