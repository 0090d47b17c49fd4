import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Forbidden, Unauthorized } from '../../../lib/errors.js';
import { AuthUser, RefreshToken } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import type { Transaction } from 'sequelize';
import { ACCESS_TTL_SECONDS } from '../../../lib/jwt.js';
import {
  accessTokenFor, issueTokenPair, REFRESH_GRACE_MS, refreshTokenDigest, revokeFamily, successorToken, type TokenPair,
} from '../tokens.js';

type RefreshOutcome =
  | { kind: 'ok'; pair: TokenPair }
  | { kind: 'refused'; error: Error };

/**
 * Rotation: the presented token is revoked and replaced by its successor (successorToken) in the
 * same family. The token row is locked, so two refreshes with one token serialize: the second sees
 * a rotated token. Within REFRESH_GRACE_MS of the rotation, while the successor is still the live
 * end of the family, it gets that same successor (and a fresh access token): two tabs resuming at
 * once stay logged in and the family still has one live token. Any other return of a rotated token
 * means it was copied — the whole family is revoked (critical audit), logging out thief and victim.
 * Refusals are decided inside the transaction (so the revocation commits) and thrown after it.
 */
export async function refresh(ctx: Context, input: { refreshToken: string }): Promise<TokenPair> {
  const outcome = await withTransaction(ctx, async (tx, ctx): Promise<RefreshOutcome> => {
    const now = ctx.now();
    const token = await RefreshToken.findOne({
      where: { token_hash: refreshTokenDigest(input.refreshToken) }, transaction: tx, lock: tx.LOCK.UPDATE,
    });
    if (!token) return { kind: 'refused', error: new Unauthorized('Invalid refresh token') };
    if (token.revoked_at) {
      if (token.replaced_by_id == null) return { kind: 'refused', error: new Unauthorized('Refresh token revoked') };
      const grace = await withinGrace(tx, token, input.refreshToken, now);
      if (grace) {
        await audit(ctx, {
          action: 'update', command: 'auth.refresh_grace', userId: grace.user.id,
          object: { type: 'refresh_token', id: token.id, uuid: token.uuid }, payload: { family_id: token.family_id, replaced_by: grace.successor.uuid },
        });
        return { kind: 'ok', pair: grace.pair };
      }
      const revoked = await revokeFamily(tx, token.family_id, now);
      await audit(ctx, {
        action: 'logout', command: 'auth.refresh_reuse', severity: 'critical', success: false, userId: token.user_id,
        object: { type: 'refresh_token', id: token.id, uuid: token.uuid },
        errorMessage: 'rotated refresh token presented again; token family revoked',
        payload: { family_id: token.family_id, revoked },
      });
      return { kind: 'refused', error: new Unauthorized('Refresh token reused; all sessions of this login were revoked') };
    }
    if (token.expires_at.getTime() <= now.getTime()) return { kind: 'refused', error: new Unauthorized('Refresh token expired') };
    const user = await AuthUser.findByPk(token.user_id, { transaction: tx });
    if (!user || !user.is_active) return { kind: 'refused', error: new Forbidden('Account is deactivated') };
    const { pair, row } = await issueTokenPair(tx, user, now, token.family_id, successorToken(input.refreshToken));
    await token.update({ revoked_at: now, replaced_by_id: row.id, updated_at: now }, { transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'auth.refresh', userId: user.id,
      object: { type: 'refresh_token', id: token.id, uuid: token.uuid }, payload: { family_id: token.family_id, replaced_by: row.uuid },
    });
    return { kind: 'ok', pair };
  });
  if (outcome.kind === 'refused') throw outcome.error;
  return outcome.pair;
}

/** The same successor again, when `token` was rotated moments ago and its successor is still live and unused. */
async function withinGrace(
  tx: Transaction, token: RefreshToken, presented: string, now: Date,
): Promise<{ pair: TokenPair; successor: RefreshToken; user: AuthUser } | null> {
  if (!token.revoked_at || now.getTime() - token.revoked_at.getTime() > REFRESH_GRACE_MS) return null;
  const successor = await RefreshToken.findByPk(token.replaced_by_id!, { transaction: tx, lock: tx.LOCK.UPDATE });
  const value = successorToken(presented);
  if (!successor || successor.revoked_at || successor.expires_at.getTime() <= now.getTime()
    || successor.token_hash !== refreshTokenDigest(value)) return null;
  const user = await AuthUser.findByPk(token.user_id, { transaction: tx });
  if (!user || !user.is_active) return null;
  const pair: TokenPair = { access_token: await accessTokenFor(user), refresh_token: value, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS };
  return { pair, successor, user };
}

/**
 * Logout ends the login the refresh token belongs to: its whole family is revoked. Like OAuth token
 * revocation (RFC 7009), an unknown or already revoked token is not an error — the session is over
 * either way — so the answer does not reveal whether a token existed.
 */
export async function logout(ctx: Context, input: { refreshToken: string }): Promise<void> {
  await withTransaction(ctx, async (tx, ctx) => {
    const token = await RefreshToken.findOne({ where: { token_hash: refreshTokenDigest(input.refreshToken) }, transaction: tx });
    if (!token) return;
    const revoked = await revokeFamily(tx, token.family_id, ctx.now());
    if (revoked === 0) return;
    await audit(ctx, {
      action: 'logout', command: 'auth.logout', userId: token.user_id,
      object: { type: 'refresh_token', id: token.id, uuid: token.uuid }, payload: { family_id: token.family_id, revoked },
    });
  });
}
