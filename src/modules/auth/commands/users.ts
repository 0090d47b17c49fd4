import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { AuthUser } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { authorizeAccountStatusChange } from '../policy.js';
import { revokeUserTokens } from '../tokens.js';
import { isUuid } from '../../../lib/uuid.js';

/**
 * Staff switch an account off: it can no longer log in, refresh or use an access token (the
 * middleware checks is_active on every request), and every refresh token is revoked at once.
 */
export async function deactivateUser(ctx: Context, input: { userUuid: string }): Promise<AuthUser> {
  return setActive(ctx, input.userUuid, false);
}

/** Switches an account back on. Revoked sessions stay revoked: the user logs in again. */
export async function reactivateUser(ctx: Context, input: { userUuid: string }): Promise<AuthUser> {
  return setActive(ctx, input.userUuid, true);
}

async function setActive(ctx: Context, userUuid: string, active: boolean): Promise<AuthUser> {
  if (!isUuid(userUuid)) throw new NotFound('User');
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const user = await AuthUser.findOne({ where: { uuid: userUuid }, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!user) throw new NotFound('User');
    authorizeAccountStatusChange(ctx.actor, user);
    if (user.is_active === active) throw new Conflict(`The account is already ${active ? 'active' : 'deactivated'}`);
    await user.update({ is_active: active, updated_at: now }, { transaction: tx });
    const revoked = active ? 0 : await revokeUserTokens(tx, user.id, now);
    await audit(ctx, {
      action: 'update', command: active ? 'auth.reactivate_user' : 'auth.deactivate_user', severity: 'high', userId: user.id,
      object: { type: 'auth_user', id: user.id, uuid: user.uuid },
      oldValues: { is_active: !active }, newValues: { is_active: active }, payload: { refresh_tokens_revoked: revoked },
    });
    return user;
  });
}
