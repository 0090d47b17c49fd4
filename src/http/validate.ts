import type { z } from 'zod';
import { ValidationFailed } from '../lib/errors.js';
import { fromZod } from './problem.js';

/**
 * The first string (key or value) in `data` that is not well-formed UTF-16 — a lone surrogate, which
 * JSON allows as `\ud800` but no database or UTF-8 encoder can keep — as a field path, or null.
 */
// With the u flag a paired surrogate is one astral code point; only lone halves are category Cs.
const LONE_SURROGATE = /\p{Cs}/u;
const wellFormed = (s: string) => !LONE_SURROGATE.test(s);

export function illFormedField(data: unknown, path: string[] = [], depth = 0): string | null {
  if (typeof data === 'string') return wellFormed(data) ? null : path.join('.') || 'body';
  if (depth > 64 || data === null || typeof data !== 'object') return null;
  for (const [k, v] of Object.entries(data)) {
    if (!wellFormed(k)) return [...path, '?'].join('.');
    const found = illFormedField(v, [...path, k], depth + 1);
    if (found) return found;
  }
  return null;
}

/** Parses request input with a zod schema; failures become a 400 problem naming each field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.infer<S> {
  const bad = illFormedField(data);
  if (bad) throw ValidationFailed.field([prefix, bad].filter(Boolean).join('.'), 'must be valid Unicode (no lone surrogates)');
  const result = schema.safeParse(data ?? {});
  if (!result.success) throw fromZod(result.error, prefix);
  return result.data;
}
