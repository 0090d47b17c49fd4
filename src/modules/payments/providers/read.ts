import { isMoney, toMinor } from '../../../lib/money.js';
import { WebhookRejected } from './types.js';

/*
 * Reading a provider payload defensively: a signed delivery is authentic, but its shape is still
 * outside our control, so a missing or odd field becomes null (then a processing_error), never a throw.
 */
type Json = Record<string, unknown>;

export function objectAt(value: unknown, ...path: string[]): Json {
  let cur: unknown = value;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return {};
    cur = (cur as Json)[key];
  }
  return cur && typeof cur === 'object' && !Array.isArray(cur) ? (cur as Json) : {};
}

export function stringAt(value: unknown, ...path: string[]): string | null {
  let cur: unknown = value;
  for (const key of path) {
    if (!cur || typeof cur !== 'object') return null;
    cur = (cur as Json)[key];
  }
  return typeof cur === 'string' && cur.length > 0 ? cur : typeof cur === 'number' ? String(cur) : null;
}

/** An integer amount in minor units, or null. */
export function minorOf(value: unknown): number | null {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

export const upper = (s: string | null): string | null => (s ? s.toUpperCase() : null);

/** A decimal amount as providers write it ("499.00", "499.5", "499") in minor units, or null. */
export function decimalMinorOf(value: unknown): number | null {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' && Number.isFinite(value) ? value.toFixed(2) : null;
  if (!text || !isMoney(text)) return null;
  return toMinor(text);
}

/** The body as JSON (an object), or a refusal: the signature was already checked on these bytes. */
export function jsonObjectOf(raw: Buffer, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new WebhookRejected(`Body is not ${what}`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new WebhookRejected(`Body is not ${what}`);
  return parsed as Record<string, unknown>;
}
