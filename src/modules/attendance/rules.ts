import { config } from '../../config.js';
import { BusinessRule, Conflict, type AppError } from '../../lib/errors.js';
import { HOUR } from '../../lib/clock.js';
import type { AttendanceRecord, Event } from '../../models/index.js';

/*
 * The check-in rules, pure: the commands load the rows, these say yes or why not. The conditional
 * UPDATE of the check-in repeats the ticket half in SQL (ADMISSIBLE below), so a refund, a
 * cancellation or another door racing this one cannot slip between the check and the write.
 */

/** From CHECKIN_OPENS_HOURS_BEFORE hours before the start to the end. */
export function checkinWindow(event: Pick<Event, 'start_time' | 'end_time'>): { opens: Date; closes: Date } {
  return { opens: new Date(event.start_time.getTime() - config().CHECKIN_OPENS_HOURS_BEFORE * HOUR), closes: event.end_time };
}

/** Why the event takes no check-in at `at`, or null. */
export function eventRefusal(event: Event, at: Date): AppError | null {
  if (event.status === 'cancelled') return new Conflict('The event is cancelled');
  if (event.status === 'draft') return new Conflict('The event is not published');
  // A postponed event's times are no longer its times: no door opens until it is published again.
  if (event.status === 'postponed') return new Conflict('The event is postponed');
  const { opens, closes } = checkinWindow(event);
  if (at < opens) return new BusinessRule(`Check-in opens at ${opens.toISOString()}`);
  if (at > closes) return new BusinessRule(`Check-in closed at ${closes.toISOString()} (the event has ended)`);
  return null;
}

/** Why this ticket cannot be checked in at this event (already in, void, unpaid, another event), or null. */
export function ticketRefusal(record: AttendanceRecord, event: Event): AppError | null {
  if (record.event_id !== event.id) return anotherEvent();
  if (record.status === 'checked_in') return alreadyCheckedIn(record);
  if (record.status === 'cancelled' || record.status === 'not_going') return new Conflict('This ticket is cancelled');
  if (record.status !== 'going') return new Conflict(`This ticket is not confirmed (${record.status})`);
  if (record.payment_status === 'refunded') return new Conflict('This ticket was refunded');
  if (event.is_paid && record.payment_status !== 'paid') return new BusinessRule('This ticket of a paid event is not paid');
  return null;
}

export const anotherEvent = (): BusinessRule => new BusinessRule('This ticket is for another event');

export const alreadyCheckedIn = (record: Pick<AttendanceRecord, 'checked_in_at'>): Conflict =>
  new Conflict(`Ticket already checked in at ${record.checked_in_at?.toISOString() ?? 'an earlier time'}`);

/** A ticket that is void can no longer be shown or used: its code and QR are withheld. */
export const isVoid = (record: Pick<AttendanceRecord, 'status' | 'payment_status'>): boolean =>
  record.status === 'cancelled' || record.status === 'not_going' || record.payment_status === 'refunded';

/** ticketRefusal's ticket half, as the WHERE of the conditional update (alias `ar`, $isPaid bound). */
export const ADMISSIBLE = `ar.status = 'going' AND ar.payment_status <> 'refunded' AND (NOT $isPaid OR ar.payment_status = 'paid')`;
