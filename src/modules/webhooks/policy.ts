import type { Transaction } from 'sequelize';
import type { Actor, Context } from '../../context.js';
import { isStaff } from '../../context.js';
import { NotFound, Unauthorized } from '../../lib/errors.js';
import { isUuid } from '../../lib/uuid.js';
import { WebhookEndpoint } from '../../models/index.js';

export function requireActor(ctx: Context): Actor {
  if (!ctx.actor) throw new Unauthorized();
  return ctx.actor;
}

/** A host reaches only their own endpoints (anyone else's is 404); staff reach any, from the panel. */
export async function endpointOf(ctx: Context, uuid: string, transaction?: Transaction, lock = false): Promise<WebhookEndpoint> {
  const actor = requireActor(ctx);
  if (!isUuid(uuid)) throw new NotFound('Webhook endpoint');
  const endpoint = await WebhookEndpoint.findOne({
    where: { uuid, ...(isStaff(actor) && ctx.source === 'admin' ? {} : { host_id: actor.id }) },
    transaction, ...(lock && transaction ? { lock: transaction.LOCK.UPDATE } : {}),
  });
  if (!endpoint) throw new NotFound('Webhook endpoint');
  return endpoint;
}
