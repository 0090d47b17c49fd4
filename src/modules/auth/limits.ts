import { QueryTypes, type Transaction } from 'sequelize';
import { sequelize } from '../../db/connection.js';
import { DAY, HOUR, MINUTE } from '../../lib/clock.js';
import { RateLimited } from '../../lib/errors.js';
import { check, consume, hit, type Limit } from '../../db/rate-limit.js';
import { issueDeviceToken, readDeviceToken } from '../../lib/device-token.js';
import { derivedSecret } from '../../lib/jwt.js';

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

/*
 * The phone-wide caps above are what a stranger can exhaust. A client that already logged in as
 * this phone holds a device token (issued on every successful verify); it is counted on its own —
 * WRONG_CODES_PER_DEVICE_PER_DAY wrong codes and SENDS_PER_DEVICE_PER_HOUR sends — and the
 * phone-wide caps do not stop it. A device past its own cap is just untrusted again.
 * docs/decisions/0120-phone-otp-lockout-device-tokens.md says why.
 */
export const WRONG_CODES_PER_DEVICE_PER_DAY = 5;
export const SENDS_PER_DEVICE_PER_HOUR = 5;
export const DEVICE_TOKEN_MAX_AGE_SECONDS = 180 * (DAY / 1000);
const DEVICE_PURPOSE = 'phone-otp';

const deviceKey = () => derivedSecret('device-token:phone-otp');

/** A device token for this phone, handed out with a successful login. */
export const deviceTokenFor = (phoneNumber: string, now: Date): string =>
  issueDeviceToken(deviceKey(), { purpose: DEVICE_PURPOSE, subject: phoneNumber }, now);

const wrongOnDevice = (device: string): Limit => ({ key: `otp:device:wrong:${device}`, limit: WRONG_CODES_PER_DEVICE_PER_DAY, windowSeconds: DAY / 1000 });
const sendsOnDevice = (device: string): Limit => ({ key: `otp:device:send:${device}`, limit: SENDS_PER_DEVICE_PER_HOUR, windowSeconds: HOUR / 1000 });

/**
 * The device id when `token` is a valid device token of this phone whose own wrong-code budget is
 * not spent; null (untrusted: the phone-wide caps apply) for anything else.
 */
export async function trustedDevice(phoneNumber: string, token: string | undefined, now: Date): Promise<string | null> {
  const device = readDeviceToken(deviceKey(), token, { purpose: DEVICE_PURPOSE, subject: phoneNumber }, now, DEVICE_TOKEN_MAX_AGE_SECONDS)?.nonce;
  if (!device) return null;
  try {
    await check(wrongOnDevice(device), now);
    return device;
  } catch {
    return null;
  }
}

/** Counts a wrong code against the device that sent it. */
export async function countDeviceWrongCode(device: string, now: Date): Promise<void> {
  await hit(wrongOnDevice(device), now);
}

/** Counts a send for a trusted device; 429 past its own hourly budget. */
export async function consumeDeviceSend(device: string, now: Date): Promise<void> {
  await consume(sendsOnDevice(device), now);
}

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
