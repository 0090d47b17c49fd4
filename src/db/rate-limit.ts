import type { Transaction } from 'sequelize';
import { QueryTypes } from 'sequelize';
import { sequelize } from './connection.js';
import { RateLimited } from '../lib/errors.js';

/**
 * Fixed-window counters kept in PostgreSQL (table `rate_limit`), so limits hold across instances.
 * `hit` counts one event atomically (one upsert) and throws 429 with Retry-After past the limit.
 */
export interface Limit {
  key: string;
  limit: number;
  windowSeconds: number;
}

function windowStart(now: Date, windowSeconds: number): Date {
  const ms = windowSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

export async function hit(limit: Limit, now: Date, transaction?: Transaction): Promise<number> {
  const start = windowStart(now, limit.windowSeconds);
  const rows = await sequelize().query<{ count: number }>(
    `insert into rate_limit (key, window_start, count) values (:key, :start, 1)
     on conflict (key, window_start) do update set count = rate_limit.count + 1
     returning count`,
    { replacements: { key: limit.key, start }, type: QueryTypes.SELECT, transaction },
  );
  return rows[0]!.count;
}

/** Throws RateLimited when the window already holds `limit` events (does not count one). */
export async function check(limit: Limit, now: Date, transaction?: Transaction): Promise<void> {
  const start = windowStart(now, limit.windowSeconds);
  const rows = await sequelize().query<{ count: number }>(
    'select count from rate_limit where key = :key and window_start = :start',
    { replacements: { key: limit.key, start }, type: QueryTypes.SELECT, transaction },
  );
  if ((rows[0]?.count ?? 0) >= limit.limit) throw tooMany(limit, now);
}

/** Counts one event and throws RateLimited when it goes past the limit. */
export async function consume(limit: Limit, now: Date, transaction?: Transaction): Promise<void> {
  if ((await hit(limit, now, transaction)) > limit.limit) throw tooMany(limit, now);
}

function tooMany(limit: Limit, now: Date): RateLimited {
  const end = windowStart(now, limit.windowSeconds).getTime() + limit.windowSeconds * 1000;
  return new RateLimited((end - now.getTime()) / 1000);
}

/** Deletes windows that ended more than a day ago (called by a job). */
export async function sweepRateLimits(now: Date): Promise<number> {
  const [, meta] = await sequelize().query("delete from rate_limit where window_start < cast(:cutoff as timestamptz) - interval '2 days'", {
    replacements: { cutoff: now },
  });
  return (meta as { rowCount?: number })?.rowCount ?? 0;
}

/** Gives back one event counted by `hit` (an attempt that turned out legitimate, e.g. a good login). */
export async function release(limit: Limit, now: Date, transaction?: Transaction): Promise<void> {
  await sequelize().query(
    'update rate_limit set count = greatest(count - 1, 0) where key = :key and window_start = :start',
    { replacements: { key: limit.key, start: windowStart(now, limit.windowSeconds) }, transaction },
  );
}
