import { QueryTypes, type Transaction } from 'sequelize';
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
  confirmingProviders, providerAdapter, providersConfirmedBy, WebhookRejected, type PaymentProviderAdapter, type RawDelivery, type WebhookMeaning,
} from '../providers/index.js';
import { recordChargeback } from './chargebacks.js';
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
  const meaning = adapter.webhook.interpret({ type: verified.type, payload: verified.payload });
  const orderRef = await orderIdOf(adapter, meaning);
  return withTransaction(ctx, async (tx, ctx) => {
    // Stored as processed (the usual outcome) with its order in the same statement; an error below rewrites that.
    const [stored] = await sequelize().query<{ id: number; payment_order_id: number | null }>(
      `INSERT INTO payment_webhook (provider, provider_event_id, webhook_type, payload, signature, processed, payment_order_id, created_at, updated_at)
       VALUES (:provider, :eventId, :type, :payload::jsonb, :signature, true,
               (SELECT id FROM payment_order WHERE order_id = :orderId), :now, :now)
       ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id, payment_order_id`,
      {
        replacements: {
          provider: adapter.name, eventId: verified.eventId.slice(0, 255), type: verified.type.slice(0, 100),
          payload: JSON.stringify(verified.payload), signature: verified.signature, orderId: orderRef ?? '', now: ctx.now(),
        },
        transaction: tx, type: QueryTypes.SELECT,
      },
    );
    if (!stored) return { received: true, duplicate: true, processed: false, error: null };
    const error = await apply(ctx, adapter, meaning, stored.payment_order_id, { id: stored.id, type: verified.type, eventId: verified.eventId });
    if (error !== null) await PaymentWebhook.update({ processed: false, processing_error: error }, { where: { id: stored.id }, transaction: tx });
    return { received: true, duplicate: false, processed: error === null, error };
  });
}

interface StoredDelivery { id: number; type: string; eventId: string | null }

/**
 * Our order_id a delivery is about. Disputes often name only the provider's payment (Stripe's
 * PaymentIntent, PayPal's capture): that is looked up among the orders this provider confirms
 * (the unique (payment_provider, provider_payment_id) index serves it).
 */
async function orderIdOf(adapter: PaymentProviderAdapter, meaning: WebhookMeaning, tx?: Transaction): Promise<string | null> {
  if (meaning.orderId || meaning.kind !== 'chargeback' || !meaning.providerPaymentId) return meaning.orderId;
  const order = await PaymentOrder.findOne({
    where: { payment_provider: providersConfirmedBy(config(), adapter.name), provider_payment_id: meaning.providerPaymentId },
    attributes: ['order_id'], transaction: tx,
  });
  return order?.order_id ?? null;
}

/**
 * Acts on a stored delivery (inside the caller's transaction) and returns the error to record, or
 * null. Refusals are errors, not exceptions: the delivery is stored with them and answered 200.
 */
async function apply(
  ctx: Context, adapter: PaymentProviderAdapter, meaning: WebhookMeaning, orderId: number | null, hook: StoredDelivery,
): Promise<string | null> {
  if (meaning.kind === 'ignored') return null;
  if (!orderId) return `unknown order ${meaning.orderId ?? meaning.providerPaymentId ?? '(none named)'}`;
  const wrongProvider = (order: PaymentOrder) => (confirmingProviders(config(), order.payment_provider).includes(adapter.name)
    ? null : `order ${order.order_reference} was placed with ${order.payment_provider}, not ${adapter.name}`);
  const response = { webhook_id: hook.id, event_type: hook.type, provider_event_id: hook.eventId };
  try {
    if (meaning.kind === 'paid') {
      const done = await fulfilOrder(ctx, orderId, {
        amountMinor: meaning.amountMinor ?? 0, currency: meaning.currency ?? '', providerPaymentId: meaning.providerPaymentId ?? null,
        reference: meaning.providerPaymentId ?? null, paymentMethod: meaning.paymentMethod ?? null, response,
      }, (order) => wrongProvider(order) ?? amountMatches(order, meaning.amountMinor, meaning.currency));
      if (done.outcome === 'refused') return done.error;
      return done.outcome === 'other_payment'
        ? `order ${done.order.order_reference} was already paid by another payment; refund ${meaning.providerPaymentId ?? 'this one'} at the provider`
        : null;
    }
    const order = (await PaymentOrder.findByPk(orderId, { transaction: ctx.transaction }))!;
    const refused = wrongProvider(order);
    if (refused) return refused;
    if (meaning.kind === 'failed') {
      await failOrder(ctx, order.id, { reason: meaning.failureReason ?? 'payment failed' });
      return null;
    }
    if (meaning.currency && meaning.currency !== order.currency) return `currency ${meaning.currency} differs from the order's ${order.currency}`;
    if (meaning.kind === 'chargeback') {
      if (!meaning.dispute?.id) return 'the delivery names no dispute';
      return await recordChargeback(ctx, order.id, {
        provider: adapter.name, disputeId: meaning.dispute.id, amountMinor: meaning.amountMinor, reason: meaning.dispute.reason, response,
      });
    }
    return await reconcileRefunds(ctx, order.id, meaning, response);
  } catch (err) {
    // JS-side refusals only: SQL refusals are raised under their own savepoints (seating).
    if (err instanceof AppError) return err.message;
    throw err;
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
    const meaning = adapter.webhook.interpret({ type: hook.webhook_type, payload: hook.payload });
    const orderRef = await orderIdOf(adapter, meaning, tx);
    const order = orderRef ? await PaymentOrder.findOne({ where: { order_id: orderRef }, attributes: ['id'], transaction: tx }) : null;
    const error = await apply(ctx, adapter, meaning, order?.id ?? null, { id: hook.id, type: hook.webhook_type, eventId: hook.provider_event_id ?? null });
    await hook.update({ payment_order_id: order?.id ?? hook.payment_order_id ?? null, processed: error === null, processing_error: error }, { transaction: tx });
    const outcome = { processed: error === null, error };
    await audit(ctx, {
      action: 'update', command: 'payments.webhook.retry', object: { type: 'payment_webhook', id: hook.id },
      oldValues: before, newValues: { processed: outcome.processed, processing_error: outcome.error },
    });
    return outcome;
  });
}
