import { hmac, randomToken, safeEqual } from './crypto.js';

/**
 * Device cookies (OWASP "Slow Down Online Guessing Attacks with Device Cookies"): after a correct
 * login the browser or phone gets a token bound to that account; later attempts that carry it are
 * counted per device instead of against the account, so a stranger burning guesses cannot lock the
 * owner out. The token names no account (the caller supplies the subject it is checked against).
 * See docs/decisions/0110-login-lockout-device-cookies.md.
 */
export interface DeviceTokenScope {
  /** What the token is for ('admin-login', 'phone-otp'): a token of one purpose never passes another. */
  purpose: string;
  /** The account it was issued to (user id, phone number). */
  subject: string;
}

const VERSION = 'd1';

const macOf = (key: string, scope: DeviceTokenScope, issuedAt: number, nonce: string) =>
  hmac(key, `${VERSION}|${scope.purpose}|${scope.subject}|${issuedAt}|${nonce}`);

/** A fresh token for this device and account: `d1.<issued-at seconds>.<nonce>.<mac>`. */
export function issueDeviceToken(key: string, scope: DeviceTokenScope, now: Date): string {
  const issuedAt = Math.floor(now.getTime() / 1000);
  const nonce = randomToken(16);
  return `${VERSION}.${issuedAt}.${nonce}.${macOf(key, scope, issuedAt, nonce)}`;
}

/**
 * The token's nonce (the device's identity, to count its failures by) when the token was issued
 * for this scope with this key no longer than maxAgeSeconds ago; null for anything else.
 */
export function readDeviceToken(
  key: string, token: string | undefined | null, scope: DeviceTokenScope, now: Date, maxAgeSeconds: number,
): { nonce: string } | null {
  if (!token || token.length > 200) return null;
  const [version, issued, nonce, mac, ...rest] = token.split('.');
  if (version !== VERSION || !issued || !nonce || !mac || rest.length || !/^\d{1,12}$/.test(issued)) return null;
  const issuedAt = Number(issued);
  const age = now.getTime() / 1000 - issuedAt;
  if (age < -60 || age > maxAgeSeconds) return null;
  return safeEqual(mac, macOf(key, scope, issuedAt, nonce)) ? { nonce } : null;
}
