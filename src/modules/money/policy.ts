import { isStaff, type Actor } from '../../context.js';
import { Forbidden, Unauthorized } from '../../lib/errors.js';

/** Who may do what with host money: hosts read their own; only staff create, move or adjust money. */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

export function requireStaff(actor: Actor | null): Actor {
  const who = requireActor(actor);
  if (!isStaff(who)) throw new Forbidden('Only staff may move host money');
  return who;
}
