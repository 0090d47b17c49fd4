import crypto from 'node:crypto';
import { UniqueConstraintError, type Transaction } from 'sequelize';
import { sequelize } from '../../db/connection.js';
import { Event } from '../../models/index.js';

const MAX_BASE = 200;

/** "Sunday Jazz & Wine!" → "sunday-jazz-wine" (ASCII, lowercase, hyphens; "event" when nothing is left). */
export function slugify(title: string): string {
  const base = title
    .normalize('NFKD').replace(/[\u0300-\u036f]/g, '')
    .toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
    .slice(0, MAX_BASE).replace(/-+$/, '');
  return base || 'event';
}

const suffixed = (base: string) => `${base}-${crypto.randomBytes(4).toString('hex').slice(0, 6)}`;

const isSlugClash = (err: unknown) =>
  err instanceof UniqueConstraintError && (err.fields ? Object.keys(err.fields).includes('slug') : true);

/**
 * Runs `write(slug)` with a unique slug derived from `title`. The unique index on event.slug is the
 * arbiter: two concurrent creates of the same title both try the plain slug, one wins, and the other
 * retries with a random suffix. Each attempt runs in a savepoint so a clash does not abort the
 * surrounding transaction.
 */
export async function withUniqueSlug<T>(tx: Transaction, title: string, write: (slug: string, sp: Transaction) => Promise<T>): Promise<T> {
  const base = slugify(title);
  const taken = await Event.findOne({ where: { slug: base }, attributes: ['id'], transaction: tx });
  let candidate = taken ? suffixed(base) : base;
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequelize().transaction({ transaction: tx }, (sp) => write(candidate, sp));
    } catch (err) {
      if (!isSlugClash(err) || attempt >= 8) throw err;
      candidate = suffixed(base);
    }
  }
}
