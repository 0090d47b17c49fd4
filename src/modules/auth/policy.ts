import { isStaff, type Actor } from '../../context.js';
import { Conflict, Forbidden, Unauthorized } from '../../lib/errors.js';
import type { AuthUser } from '../../models/index.js';

/** Who may do what with accounts and profiles. */

/** A profile is only ever read or changed by its own user. */
export function requireSelf(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

/** Staff (de)activate accounts; nobody deactivates themselves, and only a superuser touches a superuser. */
export function authorizeAccountStatusChange(actor: Actor | null, target: AuthUser): void {
  if (!isStaff(actor)) throw new Forbidden('Only staff can change account status');
  if (actor!.id === target.id) throw new Conflict('You cannot change your own account status');
  if (target.is_superuser && !actor!.is_superuser) throw new Forbidden('Only a superuser can change a superuser account');
}
