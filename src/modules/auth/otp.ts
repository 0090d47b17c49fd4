import { hmac, randomDigits, safeEqual } from '../../lib/crypto.js';
import { derivedSecret } from '../../lib/jwt.js';
import { MINUTE } from '../../lib/clock.js';

/** ERD: 4 digits, valid 10 minutes, 3 attempts (OTP_MAX_ATTEMPTS in the model). */
export const OTP_LENGTH = 4;
export const OTP_TTL_MS = 10 * MINUTE;

export const newOtpCode = (): string => randomDigits(OTP_LENGTH);

/**
 * What `otp_code` stores: an HMAC keyed by a server secret and bound to the phone, so a database
 * dump reveals no code (all 10 000 candidates are useless without the key).
 */
export function otpDigest(phoneNumber: string, code: string): string {
  return hmac(derivedSecret('otp'), `${phoneNumber}:${code}`);
}

export function otpMatches(stored: string, phoneNumber: string, code: string): boolean {
  return safeEqual(stored, otpDigest(phoneNumber, code));
}

/** API.md: the code is the only run of 4 digits in the text (apps autofill it). */
export function otpMessage(code: string): string {
  return `${code} is your Loopin code. It expires in ten minutes. Never share it with anyone.`;
}
