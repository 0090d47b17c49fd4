import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { DAY } from '../../../lib/clock.js';
import { RefreshToken } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';

/**
 * Sweeper: deletes refresh tokens that expired more than a day ago. A rotated token must outlive
 * its own expiry only for reuse detection, and an expired token is refused before the family is
 * looked at, so nothing needs it afterwards. Batched so one run never holds a long lock. Idempotent.
 */
export async function sweepRefreshTokens(ctx: Context, { batchSize = 5000 } = {}): Promise<{ deleted: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const cutoff = new Date(ctx.now().getTime() - DAY);
    const stale = await RefreshToken.findAll({
      attributes: ['id'], where: { expires_at: { [Op.lt]: cutoff } }, limit: batchSize, order: [['id', 'ASC']], transaction: tx,
    });
    if (stale.length === 0) return { deleted: 0 };
    const deleted = await RefreshToken.destroy({ where: { id: stale.map((t) => t.id) }, transaction: tx });
    await audit(ctx, { action: 'delete', command: 'auth.sweep_refresh_tokens', object: { type: 'refresh_token' }, payload: { deleted } });
    return { deleted };
  });
}
