import { QueryTypes } from 'sequelize';
import { sequelize } from '../../../db/connection.js';
import { WAITLISTED } from '../../../db/functions/availability-channel.js';
import { liveHoldSql } from '../../../db/functions/joining-rules.js';

/** An event's availability as stored: its counters, live holds and waitlist, and when the next hold lapses. */
export interface Figures {
  event_id: number;
  max_capacity: number;
  going: number;
  held: number;
  waitlisted: number;
  /** Who may see the event: a change ends its streams, so reconnecting clients are checked again. */
  is_public: boolean;
  is_active: boolean;
  /** The earliest expiry among live holds: the figures change then without any write. */
  next_expiry: Date | null;
}

// One statement for any number of events; live holds by the capacity rule's own condition, served by
// the partial index capacity_reservation_live, waitlisted ones by event_request (event_id, status, …).
const FIGURES = `
SELECT e.id AS event_id, e.max_capacity, e.going_count AS going, e.is_public, e.is_active, COALESCE(h.held, 0)::int AS held, h.next_expiry,
       (SELECT COUNT(*) FROM event_request q WHERE q.event_id = e.id AND q.status = :waitlisted)::int AS waitlisted
  FROM event e
  LEFT JOIN LATERAL (
    SELECT SUM(r.seats_reserved) AS held, MIN(r.expires_at) AS next_expiry
      FROM capacity_reservation r WHERE r.event_id = e.id AND ${liveHoldSql('r.', ':now')}
  ) h ON true
 WHERE e.id IN (:ids)`;

/** The figures of these events right now (events that no longer exist are left out). */
export async function figuresOf(eventIds: number[], now: Date): Promise<Figures[]> {
  if (eventIds.length === 0) return [];
  return sequelize().query<Figures>(FIGURES, {
    replacements: { ids: eventIds, now, waitlisted: WAITLISTED }, type: QueryTypes.SELECT,
  });
}
