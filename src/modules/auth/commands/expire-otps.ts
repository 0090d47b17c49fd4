import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { UserPhoneOtp } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';

/**
 * Sweeper: pending codes past their expiry become `expired`. Verification already refuses them on
 * read; this keeps the table's status truthful for the admin panel. Idempotent.
 */
export async function expireStaleOtps(ctx: Context): Promise<{ expired: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const [expired] = await UserPhoneOtp.update(
      { status: 'expired', updated_at: now },
      { where: { status: 'pending', expires_at: { [Op.lte]: now } }, transaction: tx },
    );
    if (expired > 0) {
      await audit(ctx, { action: 'update', command: 'auth.expire_otps', object: { type: 'user_phone_otp' }, payload: { expired } });
    }
    return { expired };
  });
}
