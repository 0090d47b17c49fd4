import { Conflict } from '../../lib/errors.js';
import type { EventStatus } from '../../models/index.js';

/**
 * The event state machine — the one place that says which status may follow which:
 *   draft → published | cancelled (a cancelled draft is the soft delete)
 *   published → postponed | cancelled | completed
 *   postponed → published | cancelled
 *   cancelled, completed: final.
 */
export const EVENT_ACTIONS = ['publish', 'postpone', 'cancel', 'complete'] as const;
export type EventAction = (typeof EVENT_ACTIONS)[number];

export const TARGET: Record<EventAction, EventStatus> = {
  publish: 'published', postpone: 'postponed', cancel: 'cancelled', complete: 'completed',
};

const NEXT: Record<EventStatus, readonly EventStatus[]> = {
  draft: ['published', 'cancelled'],
  published: ['postponed', 'cancelled', 'completed'],
  postponed: ['published', 'cancelled'],
  cancelled: [],
  completed: [],
};

export const canTransition = (from: EventStatus, action: EventAction): boolean => NEXT[from].includes(TARGET[action]);

/** The status `action` leads to from `from`; an invalid transition is a 409 naming both states. */
export function nextStatus(from: EventStatus, action: EventAction): EventStatus {
  const to = TARGET[action];
  if (!canTransition(from, action)) {
    throw new Conflict(`Cannot ${action} this event: its current state is '${from}' and '${to}' cannot follow it`);
  }
  return to;
}

/** Details (times, venue, price…) may change while the event is still ahead; final states are frozen. */
export const isEditable = (status: EventStatus): boolean => NEXT[status].length > 0;

/** Statuses whose attendees are told about changes of time or place. */
export const isAnnounced = (status: EventStatus): boolean => status === 'published' || status === 'postponed';
