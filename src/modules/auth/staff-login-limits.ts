import type { AuthUser } from '../../models/index.js';
import { sha256 } from '../../lib/crypto.js';
import { readDeviceToken, issueDeviceToken } from '../../lib/device-token.js';
import { derivedSecret } from '../../lib/jwt.js';
import type { Limit } from '../../lib/rate-limit.js';

/**
 * Failed staff sign-ins allowed per 15 minutes (docs/decisions/0110-login-lockout-device-cookies.md):
 * per account from devices it has not signed in from, per known device of that account, and per IP
 * (an office shares one). A stranger's guesses use up only the first budget, which the owner's
 * known device does not draw on.
 */
export const LOGIN_LIMITS = { perAccount: 5, perDevice: 5, perIp: 30, windowSeconds: 15 * 60 } as const;

/** How long a device stays known after its last successful sign-in. */
export const DEVICE_TOKEN_DAYS = 180;
const PURPOSE = 'admin-login';

const key = () => derivedSecret('admin-device-token');
const scope = (user: Pick<AuthUser, 'id'>) => ({ purpose: PURPOSE, subject: String(user.id) });

/** A new device token for the account (set as a cookie after a successful sign-in). */
export const deviceTokenFor = (user: Pick<AuthUser, 'id'>, now: Date): string => issueDeviceToken(key(), scope(user), now);

/** The device's nonce when `token` was issued to this account's device; null for any other token. */
export const knownDevice = (user: Pick<AuthUser, 'id'> | null, token: string | null | undefined, now: Date): string | null =>
  (user ? readDeviceToken(key(), token, scope(user), now, DEVICE_TOKEN_DAYS * 24 * 3600)?.nonce ?? null : null);

/**
 * The limits one attempt counts against. The account is the user row whatever identifier was
 * typed (email or username); an identifier that names no account is limited on its own digest.
 */
export function loginLimits(user: Pick<AuthUser, 'id'> | null, identifier: string, device: string | null, ip: string): Limit[] {
  const window = LOGIN_LIMITS.windowSeconds;
  const owner: Limit = device
    ? { key: `admin-login:device:${device}`, limit: LOGIN_LIMITS.perDevice, windowSeconds: window }
    : { key: user ? `admin-login:account:${user.id}` : `admin-login:unknown:${sha256(identifier).slice(0, 32)}`, limit: LOGIN_LIMITS.perAccount, windowSeconds: window };
  return [owner, { key: `admin-login:ip:${ip}`, limit: LOGIN_LIMITS.perIp, windowSeconds: window }];
}
