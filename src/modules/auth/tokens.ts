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

/** An access token for `user` (tests and other domains use this instead of logging in). */
export const accessTokenFor = (user: { uuid: string }): Promise<string> => signAccessToken(user.uuid);

/** Stores a new refresh token (in `familyId`, or a new family) and returns the pair plus the row. */
export async function issueTokenPair(
  tx: Transaction, user: Pick<AuthUser, 'id' | 'uuid'>, now: Date, familyId: string = crypto.randomUUID(),
): Promise<{ pair: TokenPair; row: RefreshToken }> {
  const refresh = randomToken(32);
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
