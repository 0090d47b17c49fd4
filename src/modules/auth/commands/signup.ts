import { QueryTypes, UniqueConstraintError } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { hashtext } from '../../../lib/advisory-lock.js';
import { ServiceUnavailable } from '../../../lib/errors.js';
import { logger } from '../../../lib/logger.js';
import { AuthUser, UserPhoneOtp } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { assertSendQuota, consumeDeviceSend, consumeIpQuota, trustedDevice } from '../limits.js';
import { newOtpCode, otpDigest, otpMessage, OTP_TTL_MS } from '../otp.js';
import { smsProvider } from '../sms/provider.js';

export interface SignupResult {
  expiresIn: number;
}

/**
 * Sends a signup/login code to a phone. Per phone the work is serialized by a transaction-scoped
 * advisory lock, so the quota count, the expiry of the previous code and the insert of the new one
 * see one consistent history; the partial unique index (one pending code per phone) backs it up.
 * The SMS goes out after commit; if the provider refuses it, the code is voided and the caller gets
 * 503. The answer never says whether the number already has an account.
 */
export async function signup(ctx: Context, input: { phoneNumber: string; deviceToken?: string }): Promise<SignupResult> {
  const phone = input.phoneNumber;
  await consumeIpQuota('send', ctx.ip, ctx.now());
  // A known device has its own send budget: a stranger spending the phone's cannot keep the owner from a code.
  const device = await trustedDevice(phone, input.deviceToken, ctx.now());
  if (device) await consumeDeviceSend(device, ctx.now());
  const { otpId, code } = await createOtp(ctx, phone, device !== null);
  try {
    await smsProvider().send({ to: phone, body: otpMessage(code) });
  } catch (err) {
    logger.warn({ provider: smsProvider().name, reason: err instanceof Error ? err.message : String(err) }, 'OTP SMS not sent');
    await UserPhoneOtp.update({ status: 'expired', updated_at: ctx.now() }, { where: { id: otpId, status: 'pending' } });
    throw new ServiceUnavailable('The text message could not be sent; try again shortly');
  }
  return { expiresIn: OTP_TTL_MS / 1000 };
}

async function createOtp(ctx: Context, phone: string, trusted: boolean, tries = 3): Promise<{ otpId: number; code: string }> {
  try {
    return await withTransaction(ctx, async (tx, ctx) => {
      await sequelize().query('select pg_advisory_xact_lock(:key)', {
        replacements: { key: hashtext(`otp:${phone}`) }, type: QueryTypes.SELECT, transaction: tx,
      });
      const now = ctx.now();
      if (!trusted) await assertSendQuota(tx, phone, now);
      await UserPhoneOtp.update(
        { status: 'expired', updated_at: now }, { where: { phone_number: phone, status: 'pending' }, transaction: tx },
      );
      const existing = await AuthUser.findOne({ where: { username: phone }, attributes: ['id'], transaction: tx });
      const code = newOtpCode();
      const otp = await UserPhoneOtp.create({
        phone_number: phone, otp_code: otpDigest(phone, code), otp_type: existing ? 'login' : 'signup',
        status: 'pending', attempts: 0, expires_at: new Date(now.getTime() + OTP_TTL_MS), created_at: now, updated_at: now,
      }, { transaction: tx });
      await audit(ctx, {
        action: 'create', command: 'auth.signup', object: { type: 'user_phone_otp', id: otp.id },
        userId: existing?.id ?? null, payload: { phone_number: phone, otp_type: otp.otp_type },
      });
      return { otpId: otp.id, code };
    });
  } catch (err) {
    // Only a writer bypassing the lock could collide on the one-pending index; go round again.
    if (err instanceof UniqueConstraintError && tries > 1) return createOtp(ctx, phone, trusted, tries - 1);
    throw err;
  }
}
