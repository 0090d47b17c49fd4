import { isStaff, type Actor } from '../../context.js';
import { Forbidden, NotFound, Unauthorized } from '../../lib/errors.js';
import type { Event, PaymentOrder } from '../../models/index.js';

/*
 * Who may do what with an order. The buyer, the event's host and staff know an order exists;
 * anyone else gets 404, never 403.
 */
export function requireActor(actor: Actor | null): Actor {
  if (!actor) throw new Unauthorized();
  return actor;
}

const isBuyer = (actor: Actor, order: Pick<PaymentOrder, 'user_id'>) => actor.id === order.user_id;
const isHost = (actor: Actor, event: Pick<Event, 'host_id'>) => actor.id === event.host_id;

/** Read an order: buyer, host, staff. */
export function authorizeView(actor: Actor | null, order: PaymentOrder, event: Event): Actor {
  const who = requireActor(actor);
  if (isBuyer(who, order) || isHost(who, event) || isStaff(who)) return who;
  throw new NotFound('Order');
}

/** Cancel an unpaid order: the buyer only (the host and staff see it, so they get 403). */
export function authorizeCancel(actor: Actor | null, order: PaymentOrder, event: Event): Actor {
  const who = authorizeView(actor, order, event);
  if (!isBuyer(who, order)) throw new Forbidden('Only the buyer can cancel this order');
  return who;
}

/** Refund, mark paid: the event's host or staff (the buyer sees the order, so 403). */
export function authorizeManageMoney(actor: Actor | null, order: PaymentOrder, event: Event): Actor {
  const who = authorizeView(actor, order, event);
  if (!isHost(who, event) && !isStaff(who)) throw new Forbidden('Only the host of this event or staff can do this');
  return who;
}

/** Panel-only operations on deliveries and refunds executed by hand. */
export function authorizeStaff(actor: Actor | null): Actor {
  const who = requireActor(actor);
  if (!isStaff(who)) throw new Forbidden('Staff only');
  return who;
}
