import { Op, literal } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { withTransaction } from '../../db/transaction.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { Conflict, NotFound, ValidationFailed } from '../../lib/errors.js';
import { isUuid } from '../../lib/uuid.js';
import { WebhookDelivery, WebhookEndpoint, WebhookMessage, type HostEventType } from '../../models/index.js';
import { audit } from '../audit/writer.js';
import { assertPublicUrl, UnsafeUrl } from './guard.js';
import { RETRY_WINDOW_MS } from './deliver.js';
import { endpointOf, requireActor } from './policy.js';
import { encryptWebhookSecret, mintWebhookSecret } from './secret.js';

/** How many endpoints one host may have. */
export const MAX_ENDPOINTS_PER_HOST = 10;

/**
 * A host registers a receiver. The URL passes the SSRF guard now (and again at every send);
 * the secret is returned this once and kept encrypted.
 */
export async function createEndpoint(ctx: Context, input: { url: string; events: HostEventType[] }) {
  const actor = requireActor(ctx);
  try {
    await assertPublicUrl(input.url);
  } catch (err) {
    if (err instanceof UnsafeUrl) throw ValidationFailed.field('url', err.message);
    throw err;
  }
  const secret = mintWebhookSecret();
  const endpoint = await withTransaction(ctx, async (tx, ctx) => {
    // The host's row lock serialises concurrent creates, so the cap holds under a race.
    await sequelize().query('SELECT 1 FROM auth_user WHERE id = :id FOR UPDATE', { replacements: { id: actor.id }, transaction: tx });
    if (await WebhookEndpoint.count({ where: { host_id: actor.id }, transaction: tx }) >= MAX_ENDPOINTS_PER_HOST) {
      throw new Conflict(`At most ${MAX_ENDPOINTS_PER_HOST} webhook endpoints per host`);
    }
    const created = await WebhookEndpoint.create({
      host_id: actor.id, url: input.url, events: input.events, secret_encrypted: encryptWebhookSecret(secret),
    }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'webhooks.endpoint.create', object: { type: 'webhook_endpoint', id: created.id, uuid: created.uuid },
      newValues: { url: input.url, events: input.events },
    });
    return created;
  });
  return { endpoint, secret };
}

/** The caller's endpoints, oldest first (keyset on created_at, then id looked up from the uuid). */
export async function listEndpoints(ctx: Context, q: { cursor?: string; pageSize: number }) {
  const actor = requireActor(ctx);
  const where: Record<string | symbol, unknown> = { host_id: actor.id };
  const after = keyset(q.cursor);
  if (after) {
    where[Op.and] = literal(`("WebhookEndpoint"."created_at", "WebhookEndpoint"."id") > (${sequelize().escape(after.at)}::timestamptz,
      COALESCE((SELECT id FROM webhook_endpoint WHERE uuid = ${sequelize().escape(after.uuid)} AND host_id = ${Number(actor.id)}), 0))`);
  }
  const rows = await WebhookEndpoint.findAll({ where, order: [['created_at', 'ASC'], ['id', 'ASC']], limit: q.pageSize + 1 });
  return { rows, cursorOf: (e: WebhookEndpoint) => encodeCursor([new Date(e.created_at).toISOString(), e.uuid]) };
}

/** Deletes an endpoint and its delivery log; nothing more is sent to it. */
export async function deleteEndpoint(ctx: Context, uuid: string): Promise<void> {
  await withTransaction(ctx, async (tx, ctx) => {
    const endpoint = await endpointOf(ctx, uuid, tx, true);
    await endpoint.destroy({ transaction: tx });
    await audit(ctx, {
      action: 'delete', command: 'webhooks.endpoint.delete', object: { type: 'webhook_endpoint', id: endpoint.id, uuid: endpoint.uuid },
      oldValues: { url: endpoint.url, events: endpoint.events }, userId: endpoint.host_id,
    });
  });
}

/** Turns a disabled endpoint back on; deliveries resume with new messages (and redeliveries). */
export async function enableEndpoint(ctx: Context, uuid: string): Promise<WebhookEndpoint> {
  return withTransaction(ctx, async (tx, ctx) => {
    const endpoint = await endpointOf(ctx, uuid, tx, true);
    if (endpoint.is_active) return endpoint;
    await endpoint.update({ is_active: true, disabled_at: null, disabled_reason: null, failing_since: null }, { transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'webhooks.endpoint.enable', object: { type: 'webhook_endpoint', id: endpoint.id, uuid: endpoint.uuid },
      oldValues: { is_active: false }, newValues: { is_active: true }, userId: endpoint.host_id,
    });
    return endpoint;
  });
}

type DeliveryRow = WebhookDelivery & { message: WebhookMessage };

/** One endpoint's delivery log, newest first (keyset on created_at, id). */
export async function listDeliveries(ctx: Context, uuid: string, q: { cursor?: string; pageSize: number }) {
  const endpoint = await endpointOf(ctx, uuid);
  const where: Record<string | symbol, unknown> = { endpoint_id: endpoint.id };
  const after = keyset(q.cursor);
  if (after) {
    where[Op.and] = literal(`("WebhookDelivery"."created_at", "WebhookDelivery"."id") < (${sequelize().escape(after.at)}::timestamptz,
      COALESCE((SELECT id FROM webhook_delivery WHERE uuid = ${sequelize().escape(after.uuid)} AND endpoint_id = ${Number(endpoint.id)}), 0))`);
  }
  const rows = await WebhookDelivery.findAll({
    where, include: [{ model: WebhookMessage, as: 'message', attributes: ['uuid', 'type'] }],
    order: [['created_at', 'DESC'], ['id', 'DESC']], limit: q.pageSize + 1,
  }) as DeliveryRow[];
  return { rows, cursorOf: (d: DeliveryRow) => encodeCursor([new Date(d.created_at).toISOString(), d.uuid]) };
}

/**
 * Sends a delivery again (panel "Redeliver", or the host): back to pending, due now, with a fresh
 * 24-hour retry window; the webhook-id and body stay those of the original message.
 */
export async function redeliver(ctx: Context, input: { endpointUuid?: string; deliveryUuid: string }): Promise<DeliveryRow> {
  return withTransaction(ctx, async (tx, ctx) => {
    requireActor(ctx);
    if (!isUuid(input.deliveryUuid)) throw new NotFound('Delivery');
    const delivery = await WebhookDelivery.findOne({ where: { uuid: input.deliveryUuid }, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!delivery) throw new NotFound('Delivery');
    const message = await WebhookMessage.findByPk(delivery.message_id, { transaction: tx });
    if (!message) throw new NotFound('Delivery');
    const endpoint = await WebhookEndpoint.findByPk(delivery.endpoint_id, { transaction: tx });
    if (!endpoint) throw new NotFound('Delivery');
    // The ownership check (404 for someone else's), through the one policy.
    const owned = await endpointOf(ctx, endpoint.uuid, tx).catch(() => null);
    if (!owned || (input.endpointUuid !== undefined && input.endpointUuid !== endpoint.uuid)) throw new NotFound('Delivery');
    if (!endpoint.is_active) throw new Conflict('The endpoint is disabled; enable it first');
    const row = Object.assign(delivery, { message }) as DeliveryRow;
    if (delivery.status === 'pending') return row;
    const now = ctx.now();
    await delivery.update({
      status: 'pending', next_attempt_at: now, deadline_at: new Date(now.getTime() + RETRY_WINDOW_MS), delivered_at: null,
    }, { transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'webhooks.delivery.redeliver', object: { type: 'webhook_delivery', id: delivery.id, uuid: delivery.uuid },
      newValues: { status: 'pending' }, userId: endpoint.host_id,
    });
    return row;
  });
}

function keyset(cursor: string | undefined): { at: Date; uuid: string } | null {
  const after = decodeCursor(cursor, 2);
  if (!after) return null;
  const [at, uuid] = after;
  if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof uuid !== 'string' || !isUuid(uuid)) {
    throw ValidationFailed.field('cursor', 'is not a valid cursor');
  }
  return { at: new Date(at), uuid };
}
