import crypto from 'node:crypto';
import { Op, type Transaction } from 'sequelize';
import { DAY } from '../../lib/clock.js';
import { hmac, randomToken } from '../../lib/crypto.js';
import { ACCESS_TTL_SECONDS, derivedSecret, signAccessToken } from '../../lib/jwt.js';
import { RefreshToken, type AuthUser } from '../../models/index.js';

/**
 * Session tokens, usable by other domains and tests: a short-lived JWT access token plus an opaque
 * refresh token (30 days) stored only as an HMAC. Every login starts a token *family*; rotation
 * keeps the family, so presenting a rotated token can revoke everything that descends from it.
 */
export const REFRESH_TTL_MS = 30 * DAY;

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

export const refreshTokenDigest = (token: string): string => hmac(derivedSecret('refresh'), token);

/**
 * The token that replaces `token` on rotation, derived from it with a keyed HMAC: two refreshes
 * racing with one token compute the same successor, so the loser of the row lock can be handed the
 * very token the winner got (within REFRESH_GRACE_MS) instead of looking like a thief. Without the
 * server key the successor of a token cannot be computed, so it is as unguessable as a random one.
 */
export const successorToken = (token: string): string =>
  Buffer.from(hmac(derivedSecret('refresh-successor'), token), 'hex').toString('base64url');

/** How long after a rotation the rotated token still yields the same successor (a phone resuming two tabs). */
export const REFRESH_GRACE_MS = 30_000;

/** An access token for `user` (tests and other domains use this instead of logging in). */
export const accessTokenFor = (user: { uuid: string }): Promise<string> => signAccessToken(user.uuid);

/** Stores a new refresh token (in `familyId`, or a new family; `refresh` when rotating) and returns the pair plus the row. */
export async function issueTokenPair(
  tx: Transaction, user: Pick<AuthUser, 'id' | 'uuid'>, now: Date, familyId: string = crypto.randomUUID(), refresh: string = randomToken(32),
): Promise<{ pair: TokenPair; row: RefreshToken }> {
  const row = await RefreshToken.create({
    user_id: user.id, family_id: familyId, token_hash: refreshTokenDigest(refresh),
    expires_at: new Date(now.getTime() + REFRESH_TTL_MS), created_at: now, updated_at: now,
  }, { transaction: tx });
  const pair: TokenPair = {
    access_token: await accessTokenFor(user), refresh_token: refresh, token_type: 'Bearer', expires_in: ACCESS_TTL_SECONDS,
  };
  return { pair, row };
}

/** Revokes every live refresh token of a family; returns how many. */
export async function revokeFamily(tx: Transaction, familyId: string, now: Date): Promise<number> {
  const [n] = await RefreshToken.update(
    { revoked_at: now }, { where: { family_id: familyId, revoked_at: { [Op.is]: null } }, transaction: tx },
  );
  return n;
}

/** Revokes every live refresh token of a user (deactivation); returns how many. */
export async function revokeUserTokens(tx: Transaction, userId: number, now: Date): Promise<number> {
  const [n] = await RefreshToken.update(
    { revoked_at: now }, { where: { user_id: userId, revoked_at: { [Op.is]: null } }, transaction: tx },
  );
  return n;
}
