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
