import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { Forbidden, RateLimited, ValidationFailed } from '../../../lib/errors.js';
import { DAY } from '../../../lib/clock.js';
import { AuthUser, OTP_MAX_ATTEMPTS, UserPhoneOtp, type UserProfile } from '../../../models/index.js';
import { audit, auditFailure } from '../../audit/writer.js';
import { ensureAccount, isProfileComplete } from '../accounts.js';
import { consumeIpQuota, WRONG_CODES_PER_DAY, wrongCodesToday } from '../limits.js';
import { otpMatches } from '../otp.js';
import { issueTokenPair, type TokenPair } from '../tokens.js';

export interface LoginResult {
  pair: TokenPair;
  user: AuthUser;
  profile: UserProfile;
  profileComplete: boolean;
  firstLogin: boolean;
}

const refused = (detail: string) => ValidationFailed.field('otp_code', detail);

/**
 * Checks a code and logs the phone in. Wrong guesses are counted by one conditional UPDATE that also
 * enforces the 3-attempt and 10-a-day caps, so no amount of concurrency buys extra guesses. The right
 * code claims the OTP with another conditional UPDATE: exactly one verification wins it, and only
 * the winner creates (idempotently) the account and profile and gets tokens.
 */
export async function verifyOtp(ctx: Context, input: { phoneNumber: string; otpCode: string }): Promise<LoginResult> {
  const phone = input.phoneNumber;
  const now = ctx.now();
  await consumeIpQuota('verify', ctx.ip, now);
  const wrong = await wrongCodesToday(phone, now);
  if (wrong.n >= WRONG_CODES_PER_DAY) {
    await fail(ctx, phone, null, 'wrong-code cap reached', 'high');
    throw new RateLimited(wrong.retryAfterSeconds, 'Too many wrong codes for this number; try again later');
  }
  const otp = await UserPhoneOtp.findOne({ where: { phone_number: phone, status: 'pending' } });
  if (!otp) {
    await fail(ctx, phone, null, 'no pending code');
    throw refused('no valid code for this number; request a new one');
  }
  if (otp.expires_at.getTime() <= now.getTime()) {
    await UserPhoneOtp.update({ status: 'expired', updated_at: now }, { where: { id: otp.id, status: 'pending' } });
    await fail(ctx, phone, otp.id, 'code expired');
    throw refused('the code has expired; request a new one');
  }
  if (!otpMatches(otp.otp_code, phone, input.otpCode)) {
    throw await countWrongGuess(ctx, otp, now);
  }
  const outcome = await withTransaction(ctx, (tx, ctx) => claimAndLogin(tx, ctx, otp));
  if (outcome.kind === 'lost') {
    await fail(ctx, phone, otp.id, 'code already used or dead');
    throw refused('no valid code for this number; request a new one');
  }
  if (outcome.kind === 'inactive') {
    await fail(ctx, phone, otp.id, 'account deactivated', 'high', outcome.user.id);
    throw new Forbidden('Account is deactivated');
  }
  return outcome;
}

/** One statement: +1 attempt, `failed` at the 3rd, refused past the daily cap. Returns the error to throw. */
async function countWrongGuess(ctx: Context, otp: UserPhoneOtp, now: Date): Promise<Error> {
  const rows = await sequelize().query<{ attempts: number; status: string }>(
    `update user_phone_otp o
        set attempts = o.attempts + 1,
            status = case when o.attempts + 1 >= :max then 'failed' else 'pending' end,
            updated_at = :now
      where o.id = :id and o.status = 'pending' and o.attempts < :max and o.expires_at > :now
        -- Other codes of the phone are no longer pending, so their attempts are frozen; this row's
        -- own attempts are re-read under its row lock, which keeps the daily cap exact under races.
        and o.attempts + (select coalesce(sum(p.attempts), 0) from user_phone_otp p
                           where p.phone_number = o.phone_number and p.id <> o.id and p.created_at > :since) < :cap
      returning o.attempts, o.status`,
    {
      replacements: { id: otp.id, now, max: OTP_MAX_ATTEMPTS, cap: WRONG_CODES_PER_DAY, since: new Date(now.getTime() - DAY) },
      type: QueryTypes.SELECT,
    },
  );
  const counted = rows[0];
  if (!counted) {
    const wrong = await wrongCodesToday(otp.phone_number, now);
    await fail(ctx, otp.phone_number, otp.id, 'guess on a dead code or past the cap');
    if (wrong.n >= WRONG_CODES_PER_DAY) return new RateLimited(wrong.retryAfterSeconds, 'Too many wrong codes for this number; try again later');
    return refused('no valid code for this number; request a new one');
  }
  await fail(ctx, otp.phone_number, otp.id, 'wrong code', counted.status === 'failed' ? 'high' : 'medium', undefined, counted.attempts);
  return counted.status === 'failed'
    ? refused('wrong code; no attempts left, request a new code')
    : refused(`wrong code; ${OTP_MAX_ATTEMPTS - counted.attempts} attempt(s) left`);
}

type Claim = { kind: 'lost' } | { kind: 'inactive'; user: AuthUser } | ({ kind: 'ok' } & LoginResult);

async function claimAndLogin(tx: Transaction, ctx: Context, otp: UserPhoneOtp): Promise<Claim> {
  const now = ctx.now();
  const [claimed] = await UserPhoneOtp.update(
    { status: 'verified', is_verified: true, updated_at: now },
    {
      where: { id: otp.id, status: 'pending', attempts: { [Op.lt]: OTP_MAX_ATTEMPTS }, expires_at: { [Op.gt]: now } },
      transaction: tx,
    },
  );
  if (!claimed) return { kind: 'lost' };
  const { user, profile, created } = await ensureAccount(tx, otp.phone_number, now);
  // The code is spent either way (it was right); a deactivated account just gets no session.
  if (!user.is_active) return { kind: 'inactive', user };
  await user.update({ last_login: now, updated_at: now }, { transaction: tx });
  const { pair } = await issueTokenPair(tx, user, now);
  await audit(ctx, {
    action: 'login', command: 'auth.verify_otp', object: { type: 'auth_user', id: user.id, uuid: user.uuid },
    userId: user.id, payload: { first_login: created, otp_type: otp.otp_type },
  });
  return { kind: 'ok', pair, user, profile, profileComplete: await isProfileComplete(profile, tx), firstLogin: created };
}

async function fail(
  ctx: Context, phone: string, otpId: number | null, reason: string,
  severity: 'medium' | 'high' = 'medium', userId?: number, attempts?: number,
): Promise<void> {
  const uid = userId ?? (await AuthUser.findOne({ where: { username: phone }, attributes: ['id'] }))?.id ?? null;
  await auditFailure(ctx, {
    action: 'login', command: 'auth.verify_otp', severity, errorMessage: reason, userId: uid,
    object: otpId ? { type: 'user_phone_otp', id: otpId } : undefined,
    payload: { phone_number: phone, reason, ...(attempts != null ? { attempts } : {}) },
  });
}
