import type { AllowedGenders, Event } from '../../models/Event.js';
import type { Gender } from '../../models/UserProfile.js';

// Rules the SQL functions share are spelled once in db/functions/joining-rules.ts.
export { ATTENDING_STATUSES, OPEN_HOLD, closedReason } from '../../db/functions/joining-rules.js';

/**
 * Pure joining rules, kept apart from the commands so they read as plain sentences and can be
 * unit-tested without a database.
 */

/** `allowed_genders` against the profile: 'non_binary' events admit profiles whose gender is 'other'. */
export function genderAllowed(allowed: AllowedGenders, gender: Gender | null | undefined): boolean {
  if (allowed === 'all') return true;
  if (allowed === 'non_binary') return gender === 'other';
  return gender === allowed;
}

/** The most seats one person may ask for: themselves, plus one guest when the host allows it. */
export const maxSeats = (event: Pick<Event, 'allow_plus_one'>): number => (event.allow_plus_one ? 2 : 1);


/** Default invite expiry: 7 days from now or the event start, whichever comes first. */
export function defaultInviteExpiry(event: Pick<Event, 'start_time'>, now: Date): Date {
  const week = now.getTime() + 7 * 24 * 60 * 60_000;
  return new Date(Math.min(week, event.start_time.getTime()));
}

/** An invite is usable while pending and not past its expiry (read-time check; the sweeper only tidies up). */
export const inviteLive = (invite: { status: string; expires_at: Date | null }, now: Date): boolean =>
  invite.status === 'pending' && (invite.expires_at === null || invite.expires_at.getTime() > now.getTime());
