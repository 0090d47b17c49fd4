import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { config } from '../../../config.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { AppError, Conflict, NotFound, ServiceUnavailable, ValidationFailed } from '../../../lib/errors.js';
import { logger } from '../../../lib/logger.js';
import { PaymentOrder, PaymentWebhook } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { authorizeStaff } from '../policy.js';
import {
  confirmingProviders, providerAdapter, WebhookRejected, type PaymentProviderAdapter, type RawDelivery, type WebhookMeaning,
} from '../providers/index.js';
import { amountMatches, failOrder, fulfilOrder } from './fulfil.js';
import { reconcileRefunds } from './refunds.js';

export interface WebhookReceipt {
  received: true;
  /** A delivery with this provider event id was already stored: nothing changed. */
  duplicate: boolean;
  processed: boolean;
  error: string | null;
}

/*
 * Webhooks: verified on the raw body first (WebhookRejected → 400, nothing stored), then stored and
 * acted on in ONE transaction. The INSERT … ON CONFLICT DO NOTHING on (provider, provider_event_id)
 * is the idempotency arbiter: concurrent duplicates wait on the unique index for the first
 * delivery's transaction and then find the row, so exactly one of them acts; if the first rolls
 * back, the next one acts instead. A delivery that cannot be applied (unknown order, amount or
 * currency mismatch, refund beyond the payment) is stored with processing_error and answered 200.
 */
export async function receiveWebhook(ctx: Context, providerName: string, delivery: RawDelivery): Promise<WebhookReceipt> {
  const adapter = providerAdapter(providerName);
  if (!adapter?.webhook) throw new NotFound('Webhook');
  const cfg = config();
  if (!adapter.webhook.configured(cfg)) throw new ServiceUnavailable(`${adapter.name} webhooks are not configured`);
  let verified;
  try {
    verified = await adapter.webhook.verify(cfg, delivery);
  } catch (err) {
    if (!(err instanceof WebhookRejected)) throw err;
    logger.warn({ provider: adapter.name, reason: err.message }, 'payment webhook refused');
    throw new ValidationFailed(err.message);
  }
  return withTransaction(ctx, async (tx, ctx) => {
    const [stored] = await sequelize().query<{ id: number }>(
      `INSERT INTO payment_webhook (provider, provider_event_id, webhook_type, payload, signature, processed, created_at, updated_at)
       VALUES (:provider, :eventId, :type, :payload::jsonb, :signature, false, :now, :now)
       ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id`,
      {
        replacements: {
          provider: adapter.name, eventId: verified.eventId.slice(0, 255), type: verified.type.slice(0, 100),
          payload: JSON.stringify(verified.payload), signature: verified.signature, now: ctx.now(),
        },
        transaction: tx, type: QueryTypes.SELECT,
      },
    );
    if (!stored) return { received: true, duplicate: true, processed: false, error: null };
    const hook = (await PaymentWebhook.findByPk(stored.id, { transaction: tx }))!;
    const outcome = await apply(ctx, adapter, hook);
    return { received: true, duplicate: false, ...outcome };
  });
}

/** Acts on a stored delivery and records the outcome on it (inside the caller's transaction). */
async function apply(ctx: Context, adapter: PaymentProviderAdapter, hook: PaymentWebhook): Promise<{ processed: boolean; error: string | null }> {
  const tx = ctx.transaction!;
  let orderId: number | null = hook.payment_order_id ?? null;
  let error: string | null;
  try {
    // A savepoint: a refusal inside (a Conflict) leaves the delivery's transaction usable to record it.
    error = await sequelize().transaction({ transaction: tx }, async (sp) => {
      const inner = { ...ctx, transaction: sp };
      const meaning = adapter.webhook!.interpret({ type: hook.webhook_type, payload: hook.payload });
      if (meaning.kind === 'ignored') return null;
      const order = meaning.orderId ? await PaymentOrder.findOne({ where: { order_id: meaning.orderId }, transaction: sp }) : null;
      if (!order) return `unknown order ${meaning.orderId ?? '(none named)'}`;
      orderId = order.id;
      if (!confirmingProviders(config(), order.payment_provider).includes(adapter.name)) {
        return `order ${order.order_reference} was placed with ${order.payment_provider}, not ${adapter.name}`;
      }
      return act(inner, order, meaning, hook);
    });
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    error = err.message;
  }
  await hook.update({ payment_order_id: orderId, processed: error === null, processing_error: error }, { transaction: tx });
  return { processed: error === null, error };
}

async function act(ctx: Context, order: PaymentOrder, meaning: WebhookMeaning, hook: PaymentWebhook): Promise<string | null> {
  const response = { webhook_id: hook.id, event_type: hook.webhook_type, provider_event_id: hook.provider_event_id };
  switch (meaning.kind) {
    case 'paid': {
      const mismatch = amountMatches(order, meaning.amountMinor, meaning.currency);
      if (mismatch) return mismatch;
      const done = await fulfilOrder(ctx, order.id, {
        amountMinor: meaning.amountMinor!, currency: meaning.currency!, providerPaymentId: meaning.providerPaymentId ?? null,
        reference: meaning.providerPaymentId ?? null, paymentMethod: meaning.paymentMethod ?? null, response,
      });
      return done.outcome === 'other_payment'
        ? `order ${order.order_reference} was already paid by another payment; refund ${meaning.providerPaymentId ?? 'this one'} at the provider`
        : null;
    }
    case 'failed':
      await failOrder(ctx, order.id, { reason: meaning.failureReason ?? 'payment failed' });
      return null;
    case 'refunded':
      if (meaning.currency && meaning.currency !== order.currency) return `currency ${meaning.currency} differs from the order's ${order.currency}`;
      return reconcileRefunds(ctx, order.id, meaning, response);
    default:
      return null;
  }
}

/** Panel "Retry processing": a stored delivery that failed for a reason since fixed is applied again. */
export async function retryWebhook(ctx: Context, webhookId: number): Promise<{ processed: boolean; error: string | null }> {
  authorizeStaff(ctx.actor);
  return withTransaction(ctx, async (tx, ctx) => {
    const hook = await PaymentWebhook.findByPk(webhookId, { lock: tx.LOCK.UPDATE, transaction: tx });
    if (!hook) throw new NotFound('Webhook delivery');
    if (hook.processed && !hook.processing_error) throw new Conflict('Delivery was already processed');
    const adapter = providerAdapter(hook.provider);
    if (!adapter?.webhook) throw new Conflict(`No ${hook.provider} webhook handler`);
    const before = { processed: hook.processed, processing_error: hook.processing_error };
    const outcome = await apply(ctx, adapter, hook);
    await audit(ctx, {
      action: 'update', command: 'payments.webhook.retry', object: { type: 'payment_webhook', id: hook.id },
      oldValues: before, newValues: { processed: outcome.processed, processing_error: outcome.error },
    });
    return outcome;
  });
}
