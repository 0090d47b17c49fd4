import { hmac, randomDigits, safeEqual } from '../../lib/crypto.js';
import { derivedSecret } from '../../lib/jwt.js';
import { MINUTE } from '../../lib/clock.js';

/*
 * One-time check-in codes: 6 digits, 5 minutes, stored only as an HMAC bound to the ticket (so the
 * same digits on two tickets hash differently and a dump holds no code). Wrong codes are capped per
 * code (attendance_otp.attempts), per ticket and per door account (rate_limit windows, see LIMITS).
 */
export const CHECKIN_OTP_LENGTH = 6;
export const CHECKIN_OTP_TTL_MS = 5 * MINUTE;

export const LIMITS = {
  /** Wrong codes for one ticket, whoever types them. */
  wrongPerTicket: (recordId: number) => ({ key: `checkin-otp:ticket:${recordId}`, limit: 5, windowSeconds: 15 * 60 }),
  /** Codes typed by one host or staff account across tickets, the right ones given back: in flight plus wrong. */
  wrongPerDoor: (actorId: number) => ({ key: `checkin-otp:door:${actorId}`, limit: 100, windowSeconds: 15 * 60 }),
  /** New codes asked for one ticket. */
  issuePerTicket: (recordId: number) => ({ key: `checkin-otp:issue:${recordId}`, limit: 10, windowSeconds: 15 * 60 }),
};

export const newCheckinOtp = (): string => randomDigits(CHECKIN_OTP_LENGTH);

export const checkinOtpHash = (ticketUuid: string, code: string): string =>
  hmac(derivedSecret('checkin-otp'), `${ticketUuid}:${code}`);

export const checkinOtpMatches = (ticketUuid: string, code: string, stored: string): boolean =>
  safeEqual(checkinOtpHash(ticketUuid, code), stored);
