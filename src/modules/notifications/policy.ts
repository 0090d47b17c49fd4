import { isStaff, type Actor } from '../../context.js';
import { Forbidden, Unauthorized } from '../../lib/errors.js';
import { policy } from '../../lib/policy.js';

/** Who may do what with notifications: a signed-in user reads their own feed; staff broadcast. */
export const notificationRules = policy<Actor | null, { read_feed: null; broadcast: null }>()
  .allow('read_feed', (actor) => !!actor)
  .allow('broadcast', (actor) => isStaff(actor));

/** The signed-in recipient (their own rows only: the queries filter on recipient_id). */
export function requireRecipient(actor: Actor | null): Actor {
  notificationRules.authorize(actor, 'read_feed', null, () => new Unauthorized());
  return actor!;
}

export const authorizeBroadcast = (actor: Actor | null): void =>
  notificationRules.authorize(actor, 'broadcast', null, () => new Forbidden('Only staff can send broadcasts'));
