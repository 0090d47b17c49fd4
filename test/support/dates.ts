import { DAY, HOUR } from '../../src/lib/clock.js';

/*
 * Fixture times a year ahead of the real date: the database's now() is real time, so a pinned
 * calendar date would one day fall behind it (and a test built on it would start to fail).
 */

/** The real time now, a year on. */
export const aYearFromNow = (): Date => new Date(Date.now() + 365 * DAY);

/** `hours` (and `seconds`) into the UTC day a year from today: for tests that name times of one day. */
export const dayAYearAhead = (hours = 0, seconds = 0): Date =>
  new Date(Math.floor(Date.now() / DAY) * DAY + 365 * DAY + hours * HOUR + seconds * 1000);
