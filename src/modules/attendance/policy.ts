import type { Actor } from '../../context.js';
import { Forbidden, NotFound, Unauthorized } from '../../lib/errors.js';
import type { AttendanceRecord, Event } from '../../models/index.js';
import { canSeeEvent, isHostOrStaff } from '../events/policy.js';

/** Who may do what with tickets. Objects the actor may not know about are 404, not 403. */

export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

/** A ticket is its owner's: anyone else is told it does not exist. */
export function authorizeTicketOwner(actor: Actor | null, record: AttendanceRecord | null): AttendanceRecord {
  const who = requireActor(actor);
  if (!record || record.user_id !== who.id) throw new NotFound('Ticket');
  return record;
}

/** The door of an event (check-in, check-out, sync, door list, counts): its host or staff; 403 if they can see it, else 404. */
export async function authorizeDoor(actor: Actor | null, event: Event): Promise<Actor> {
  const who = requireActor(actor);
  if (isHostOrStaff(who, event)) return who;
  if (await canSeeEvent(who, event)) throw new Forbidden('Only the host of this event or staff can work its door');
  throw new NotFound('Event');
}
