import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { DAY } from '../../../lib/clock.js';
import { Forbidden, RateLimited, ValidationFailed } from '../../../lib/errors.js';
import { AuthUser, OTP_MAX_ATTEMPTS, UserPhoneOtp, type UserProfile } from '../../../models/index.js';
import { audit, auditFailure, type AuditEntry } from '../../audit/writer.js';
import { ensureAccount, isProfileComplete } from '../accounts.js';
import {
  consumeIpQuota, countDeviceWrongCode, deviceTokenFor, trustedDevice, WRONG_CODES_PER_DAY, wrongCodesToday,
} from '../limits.js';
import { otpMatches } from '../otp.js';
import { issueTokenPair, type TokenPair } from '../tokens.js';

export interface LoginResult {
  pair: TokenPair;
  user: AuthUser;
  profile: UserProfile;
  profileComplete: boolean;
  firstLogin: boolean;
  /** Proof for later logins of this phone from this client (the phone-wide lockout does not stop it). */
  deviceToken: string;
}

const refused = (detail: string) => ValidationFailed.field('otp_code', detail);
const noCode = () => refused('no valid code for this number; request a new one');
const capped = (retryAfterSeconds: number) =>
  new RateLimited(retryAfterSeconds, 'Too many wrong codes for this number; try again later');

/**
 * Checks a code and logs the phone in. Wrong guesses are counted by one conditional UPDATE that also
 * enforces the 3-attempt and 10-a-day caps, so no amount of concurrency buys extra guesses. The right
 * code claims the OTP with another conditional UPDATE: exactly one verification wins it, and only
 * the winner creates (idempotently) the account and profile and gets tokens. Refusals that change
 * state (an attempt counted, a code expired or spent) commit with their audit row; the rest are
 * recorded with auditFailure.
 * A client with a device token of this phone (from an earlier login) is not held by the phone-wide
 * daily cap — that is what a stranger can burn — only by its own per-device budget (limits.ts).
 */
export async function verifyOtp(ctx: Context, input: { phoneNumber: string; otpCode: string; deviceToken?: string }): Promise<LoginResult> {
  const phone = input.phoneNumber;
  const now = ctx.now();
  await consumeIpQuota('verify', ctx.ip, now);
  const device = await trustedDevice(phone, input.deviceToken, now);
  const wrong = device ? null : await wrongCodesToday(phone, now);
  if (wrong && wrong.n >= WRONG_CODES_PER_DAY) {
    await auditFailure(ctx, await failure(phone, { reason: 'wrong-code cap reached', severity: 'high' }));
    throw capped(wrong.retryAfterSeconds);
  }
  const otp = await UserPhoneOtp.findOne({ where: { phone_number: phone, status: 'pending' } });
  if (!otp) {
    await auditFailure(ctx, await failure(phone, { reason: 'no pending code' }));
    throw noCode();
  }
  if (otp.expires_at.getTime() <= now.getTime()) {
    await withTransaction(ctx, async (tx, ctx) => {
      await UserPhoneOtp.update({ status: 'expired', updated_at: now }, { where: { id: otp.id, status: 'pending' }, transaction: tx });
      await audit(ctx, await failure(phone, { reason: 'code expired', otpId: otp.id }, tx));
    });
    throw refused('the code has expired; request a new one');
  }
  if (!otpMatches(otp.otp_code, phone, input.otpCode)) {
    if (device) await countDeviceWrongCode(device, now);
    throw await countWrongGuess(ctx, otp, now, device !== null);
  }

  const outcome = await withTransaction(ctx, (tx, ctx) => claimAndLogin(tx, ctx, otp));
  if (outcome.kind === 'lost') {
    await auditFailure(ctx, await failure(phone, { reason: 'code already used or dead', otpId: otp.id }));
    throw noCode();
  }
  if (outcome.kind === 'inactive') throw new Forbidden('Account is deactivated');
  return outcome;
}

/** +1 attempt, `failed` at the 3rd, refused past the daily cap (untrusted clients) — one statement. Returns the error to throw. */
async function countWrongGuess(ctx: Context, otp: UserPhoneOtp, now: Date, trusted: boolean): Promise<Error> {
  const counted = await withTransaction(ctx, async (tx, ctx) => {
    const rows = await sequelize().query<{ attempts: number; status: string }>(
      `update user_phone_otp o
          set attempts = o.attempts + 1,
              status = case when o.attempts + 1 >= :max then 'failed' else 'pending' end,
              updated_at = :now
        where o.id = :id and o.status = 'pending' and o.attempts < :max and o.expires_at > :now
          -- Other codes of the phone are no longer pending, so their attempts are frozen; this row's
          -- own attempts are re-read under its row lock, which keeps the daily cap exact under races.
          and (:trusted or o.attempts + (select coalesce(sum(p.attempts), 0) from user_phone_otp p
                             where p.phone_number = o.phone_number and p.id <> o.id and p.created_at > :since) < :cap)
        returning o.attempts, o.status`,
      {
        replacements: { id: otp.id, now, max: OTP_MAX_ATTEMPTS, cap: WRONG_CODES_PER_DAY, since: new Date(now.getTime() - DAY), trusted },
        type: QueryTypes.SELECT, transaction: tx,
      },
    );
    const row = rows[0];
    if (row) {
      await audit(ctx, await failure(otp.phone_number, {
        reason: trusted ? 'wrong code (known device)' : 'wrong code', otpId: otp.id, attempts: row.attempts,
        severity: row.status === 'failed' ? 'high' : 'medium',
      }, tx));
    }
    return row;
  });
  if (!counted) {
    // Lost the race: the code died meanwhile, or the phone reached its daily wrong-code cap.
    await auditFailure(ctx, await failure(otp.phone_number, { reason: 'guess on a dead code or past the cap', otpId: otp.id }));
    const wrong = await wrongCodesToday(otp.phone_number, now);
    return !trusted && wrong.n >= WRONG_CODES_PER_DAY ? capped(wrong.retryAfterSeconds) : noCode();
  }
  return counted.status === 'failed'
    ? refused('wrong code; no attempts left, request a new code')
    : refused(`wrong code; ${OTP_MAX_ATTEMPTS - counted.attempts} attempt(s) left`);
}

type Claim = { kind: 'lost' } | { kind: 'inactive' } | ({ kind: 'ok' } & LoginResult);

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
  if (!user.is_active) {
    // The code is spent either way (it was right); a deactivated account just gets no session.
    await audit(ctx, await failure(otp.phone_number, { reason: 'account deactivated', otpId: otp.id, userId: user.id, severity: 'high' }, tx));
    return { kind: 'inactive' };
  }
  await user.update({ last_login: now, updated_at: now }, { transaction: tx });
  const { pair } = await issueTokenPair(tx, user, now);
  await audit(ctx, {
    action: 'login', command: 'auth.verify_otp', object: { type: 'auth_user', id: user.id, uuid: user.uuid },
    userId: user.id, payload: { first_login: created, otp_type: otp.otp_type },
  });
  return {
    kind: 'ok', pair, user, profile, profileComplete: await isProfileComplete(profile, tx), firstLogin: created,
    deviceToken: deviceTokenFor(otp.phone_number, now),
  };
}

interface Failure {
  reason: string;
  otpId?: number;
  userId?: number;
  attempts?: number;
  severity?: 'medium' | 'high';
}

/** The audit row of a refused login: who it concerned (when the phone has an account) and why. */
async function failure(phone: string, f: Failure, transaction?: Transaction): Promise<AuditEntry & { success: false }> {
  const userId = f.userId ?? (await AuthUser.findOne({ where: { username: phone }, attributes: ['id'], transaction }))?.id ?? null;
  return {
    action: 'login', command: 'auth.verify_otp', success: false, severity: f.severity ?? 'medium', errorMessage: f.reason, userId,
    object: f.otpId ? { type: 'user_phone_otp', id: f.otpId } : undefined,
    payload: { phone_number: phone, reason: f.reason, ...(f.attempts != null ? { attempts: f.attempts } : {}) },
  };
}
