import { isStaff, type Actor } from '../../context.js';
import { Conflict, Forbidden, Unauthorized } from '../../lib/errors.js';
import { policy } from '../../lib/policy.js';
import type { AuthUser } from '../../models/index.js';

/** Who may do what with accounts and profiles (staff edits of accounts: staff-policy.ts). */
export const accountRules = policy<Actor | null, { use_own_profile: null; change_status: AuthUser }>()
  .allow('use_own_profile', (actor) => !!actor)
  .allow('change_status', (actor, target) => isStaff(actor) && (!target.is_superuser || !!actor!.is_superuser));

/** A profile is only ever read or changed by its own user. */
export function requireSelf(actor: Actor | null): Actor {
  accountRules.authorize(actor, 'use_own_profile', null, () => new Unauthorized());
  return actor!;
}

/** Staff (de)activate accounts; nobody deactivates themselves, and only a superuser touches a superuser. */
export function authorizeAccountStatusChange(actor: Actor | null, target: AuthUser): void {
  if (!isStaff(actor)) throw new Forbidden('Only staff can change account status');
  if (actor!.id === target.id) throw new Conflict('You cannot change your own account status');
  accountRules.authorize(actor, 'change_status', target, () => new Forbidden('Only a superuser can change a superuser account'));
}
