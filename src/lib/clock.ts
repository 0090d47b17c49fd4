/**
 * The one clock. Everything that compares against "now" (expiry, holds, OTPs, tokens) asks it,
 * so tests can freeze and move time without touching the system clock.
 */
let offsetMs = 0;
let frozenAt: number | null = null;

export const clock = {
  now(): Date {
    return new Date(frozenAt ?? Date.now() + offsetMs);
  },
  /** Freeze time at `at` (tests). */
  set(at: Date | string): void {
    frozenAt = new Date(at).getTime();
  },
  /** Move time forward by `ms`, frozen or not. */
  advance(ms: number): void {
    if (frozenAt !== null) frozenAt += ms;
    else offsetMs += ms;
  },
  reset(): void {
    offsetMs = 0;
    frozenAt = null;
  },
};

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export function addMs(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}
