import { QueryTypes, type Transaction } from 'sequelize';
import { sequelize } from '../../db/connection.js';
import { DAY, HOUR, MINUTE } from '../../lib/clock.js';
import { RateLimited } from '../../lib/errors.js';
import { consume, type Limit } from '../../db/rate-limit.js';

/**
 * Abuse limits for OTP auth (a 4-digit code is only 13 bits). Per phone they are sliding windows
 * counted from user_phone_otp itself — every send is a row, every wrong code an attempt — so they
 * are exact and hold across instances. Per IP they are fixed windows in rate_limit, generous enough
 * for carrier NAT (API.md: at least 100 sends and 100 verifications per IP per 10 minutes).
 */
export const SENDS_PER_HOUR = 5;
export const SENDS_PER_DAY = 10;
export const WRONG_CODES_PER_DAY = 10;
export const IP_SENDS_PER_10_MIN = 150;
export const IP_VERIFICATIONS_PER_10_MIN = 300;

const ipLimit = (kind: 'send' | 'verify', ip: string): Limit => ({
  key: `otp:${kind}:ip:${ip}`,
  limit: kind === 'send' ? IP_SENDS_PER_10_MIN : IP_VERIFICATIONS_PER_10_MIN,
  windowSeconds: (10 * MINUTE) / 1000,
});

/** Counts one send/verification for the caller's IP (own statement: it counts even if the command fails). */
export async function consumeIpQuota(kind: 'send' | 'verify', ip: string | null | undefined, now: Date): Promise<void> {
  if (ip) await consume(ipLimit(kind, ip), now);
}

/** Throws 429 when the phone already had 5 codes in the last hour or 10 in the last day. Run under the phone lock. */
export async function assertSendQuota(tx: Transaction, phoneNumber: string, now: Date): Promise<void> {
  for (const [limit, windowMs] of [[SENDS_PER_HOUR, HOUR], [SENDS_PER_DAY, DAY]] as const) {
    const rows = await sequelize().query<{ n: number; oldest: Date | null }>(
      `select count(*)::int as n, min(created_at) as oldest from (
         select created_at from user_phone_otp where phone_number = :phone and created_at > :since
         order by created_at desc limit :limit) recent`,
      { replacements: { phone: phoneNumber, since: new Date(now.getTime() - windowMs), limit }, type: QueryTypes.SELECT, transaction: tx },
    );
    const { n, oldest } = rows[0]!;
    if (n >= limit) {
      // Free again when the oldest of the last `limit` sends leaves the window.
      throw new RateLimited((new Date(oldest!).getTime() + windowMs - now.getTime()) / 1000, 'Too many codes sent to this number; try again later');
    }
  }
}

/** Wrong codes for the phone over the last 24 h (attempts only ever count wrong codes). */
export async function wrongCodesToday(phoneNumber: string, now: Date): Promise<{ n: number; retryAfterSeconds: number }> {
  const rows = await sequelize().query<{ n: number; oldest: Date | null }>(
    `select coalesce(sum(attempts), 0)::int as n, min(created_at) filter (where attempts > 0) as oldest
       from user_phone_otp where phone_number = :phone and created_at > :since`,
    { replacements: { phone: phoneNumber, since: new Date(now.getTime() - DAY) }, type: QueryTypes.SELECT },
  );
  const { n, oldest } = rows[0]!;
  return { n, retryAfterSeconds: oldest ? (new Date(oldest).getTime() + DAY - now.getTime()) / 1000 : DAY / 1000 };
}
