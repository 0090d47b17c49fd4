import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { config } from '../../../config.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, ValidationFailed } from '../../../lib/errors.js';
import { logger } from '../../../lib/logger.js';
import { fromMinor, toMinor } from '../../../lib/money.js';
import { AttendanceRecord, EventAttendee, PaymentOrder, PaymentTransaction } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { recordMoneyEvent } from '../../money/ledger.js';
import { unseatRefunded } from '../../joining/commands/index.js';
import { notify } from '../../notifications/writer.js';
import { emitHostEvent, hostEvents } from '../../webhooks/index.js';
import { authorizeManageMoney, authorizeStaff } from '../policy.js';
import { providerAdapter } from '../providers/index.js';
import type { WebhookMeaning } from '../providers/index.js';
import { findOrder, forProvider, orderRowLock, PAID_STATUSES } from './orders.js';

/*
 * REFUNDS. Two amounts per order, both in the order row's lock:
 * - refund_amount: money confirmed back with the buyer (provider said so, or staff executed it);
 * - committed: refund_amount + refund transactions still pending. Never more than the amount paid,
 *   whatever races: every refund takes FOR UPDATE on the order and re-reads the pending sum.
 * A refund is decided in the database first (a pending PAYMENT_TRANSACTION) and executed at the
 * provider after commit (Stripe/Razorpay API when credentials are set); without credentials, or
 * when the provider refuses, it stays pending for staff to execute and confirm. Deciding the full
 * amount makes the order `refunded` at once: the attendee is cancelled, the ticket voided, seats freed.
 */

async function pendingRefundMinor(orderId: number, ctx: Context): Promise<number> {
  const [row] = await sequelize().query<{ total: string }>(
    `SELECT COALESCE(SUM(amount), 0)::text AS total FROM payment_transaction
      WHERE payment_order_id = :orderId AND transaction_type = 'refund' AND status = 'pending'`,
    { replacements: { orderId }, transaction: ctx.transaction, type: QueryTypes.SELECT },
  );
  return toMinor(row!.total);
}

/** What is already promised back (confirmed + pending), in minor units. Call with the order locked. */
export async function committedRefundMinor(order: PaymentOrder, ctx: Context): Promise<number> {
  return toMinor(order.refund_amount) + (await pendingRefundMinor(order.id, ctx));
}

/**
 * Gives a refunded order's seats back through joining (unseatRefunded: attendee cancelled, ticket
 * cancelled with payment_status `refunded`, going_count drops). A ticket already used at the door
 * keeps its check-in history and is only marked refunded.
 */
export async function releaseSeats(ctx: Context, order: PaymentOrder): Promise<number> {
  const tx = ctx.transaction!;
  const record = await AttendanceRecord.findOne({ where: { payment_order_id: order.id }, lock: tx.LOCK.UPDATE, transaction: tx });
  if (!record) return 0;
  const attendee = record.attendee_id ? await EventAttendee.findByPk(record.attendee_id, { transaction: tx }) : null;
  if (attendee?.status === 'going') {
    await unseatRefunded(ctx, { attendeeId: attendee.id });
    return attendee.seats;
  }
  await record.update({ payment_status: 'refunded' }, { transaction: tx });
  return 0;
}

export interface RefundDecision {
  /** null: everything still refundable. */
  amountMinor: number | null;
  reason: string;
  command: string;
  notifyBuyer: boolean;
  severity?: 'high' | 'critical';
}

/**
 * REFUND — the one command that decides a refund, inside the caller's transaction with the order
 * row locked by it: a pending refund transaction, the order refunded when that makes the full
 * amount (seats released), the buyer told, audited; executed at the provider after commit.
 * Hooks of other domains (ledger, outbox) belong right before the return.
 */
export async function recordRefund(ctx: Context, order: PaymentOrder, d: RefundDecision): Promise<PaymentTransaction> {
  const tx = ctx.transaction!;
  if (!(PAID_STATUSES as readonly string[]).includes(order.status)) throw new Conflict(`Order is ${order.status}`);
  const paid = toMinor(order.amount);
  const committed = await committedRefundMinor(order, ctx);
  const refundable = paid - committed;
  const amount = d.amountMinor ?? refundable;
  if (refundable <= 0) throw new Conflict('Order is already refunded in full');
  if (amount <= 0) throw ValidationFailed.field('amount', 'must be at least 0.01');
  if (amount > refundable) throw new Conflict(`Only ${fromMinor(refundable)} ${order.currency} is left to refund`);
  const full = committed + amount === paid;
  const refund = await PaymentTransaction.create({
    payment_order_id: order.id, transaction_type: 'refund', amount: fromMinor(amount), status: 'pending',
    provider_response: { reason: d.reason, requested_by: ctx.actor?.uuid ?? ctx.source },
  }, { transaction: tx });
  const before = { status: order.status, refund_reason: order.refund_reason };
  await order.update({ refund_reason: d.reason.slice(0, 1000), ...(full ? { status: 'refunded' as const } : {}) }, { transaction: tx });
  const seatsFreed = full ? await releaseSeats(ctx, order) : 0;
  if (d.notifyBuyer) {
    await notify(ctx, {
      recipientId: order.user_id, type: 'system', email: true,
      title: `Refund of ${order.currency} ${fromMinor(amount)}`,
      message: `${order.currency} ${fromMinor(amount)} of your order ${order.order_reference} is being refunded (${d.reason}).`
        + (full ? ' Your ticket is cancelled.' : ''),
      reference: { type: 'payment_order', id: order.id, uuid: order.uuid },
      metadata: { amount: fromMinor(amount), currency: order.currency, order_reference: order.order_reference },
    });
  }
  await audit(ctx, {
    action: 'update', command: d.command, severity: d.severity ?? 'high', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
    userId: order.user_id, oldValues: before,
    newValues: { status: order.status, refund_reason: order.refund_reason, refund_requested: fromMinor(amount), full, seats_freed: seatsFreed },
    payload: { refund_transaction_id: refund.id, currency: order.currency },
  });
  // On the outermost transaction: a savepoint's afterCommit would run before the real commit.
  rootOf(tx).afterCommit(() => {
    executeRefund({ ...ctx, transaction: undefined }, refund.id).catch((err) => logger.error({ err, refund: refund.id }, 'refund execution failed'));
  });
  await emitHostEvent(ctx, hostEvents.orderRefunded({ id: order.event_id }, order, { amount: refund.amount, reason: d.reason }));
  await recordMoneyEvent(ctx, { type: 'refund', order, transaction: refund });
  return refund;
}

function rootOf(tx: Transaction): Transaction {
  let t = tx as Transaction & { parent?: Transaction };
  while (t.parent) t = t.parent as Transaction & { parent?: Transaction };
  return t;
}

/** POST /payments/orders/{uuid}/refund: host or staff; partial or full; the loser of a race gets 409. */
export async function refundOrder(
  ctx: Context, input: { orderUuid: string; amount?: string; reason: string },
): Promise<{ order: PaymentOrder; refund: PaymentTransaction }> {
  const amountMinor = input.amount === undefined ? null : toMinor(input.amount);
  return withTransaction(ctx, async (tx, ctx) => {
    const { order, event } = await findOrder(input.orderUuid, tx, true);
    authorizeManageMoney(ctx.actor, order, event);
    const refund = await recordRefund(ctx, order, { amountMinor, reason: input.reason, command: 'payments.order.refund', notifyBuyer: true });
    return { order, refund };
  });
}

/**
 * Marks a pending refund as executed (money moved): completed, refund_amount += amount. The
 * conditional UPDATE is the arbiter, so a confirmation arriving twice counts once.
 */
async function completeRefund(
  ctx: Context, order: PaymentOrder, refund: PaymentTransaction, by: { providerRefundId: string | null; response: Record<string, unknown> },
): Promise<boolean> {
  const tx = ctx.transaction!;
  const [changed] = await PaymentTransaction.update({
    status: 'completed', failure_reason: null,
    provider_transaction_id: by.providerRefundId ?? refund.provider_transaction_id,
    provider_response: { ...(refund.provider_response ?? {}), confirmation: by.response },
  }, { where: { id: refund.id, status: 'pending' }, transaction: tx });
  if (!changed) return false;
  const refunded = fromMinor(toMinor(order.refund_amount) + toMinor(refund.amount));
  await order.update({ refund_amount: refunded, refunded_at: ctx.now() }, { transaction: tx });
  await audit(ctx, {
    action: 'update', command: 'payments.refund.complete', severity: 'high', object: { type: 'payment_transaction', id: refund.id },
    userId: order.user_id, newValues: { status: 'completed', amount: refund.amount, order_refund_amount: refunded },
    payload: { order_uuid: order.uuid, provider_refund_id: by.providerRefundId },
  });
  return true;
}

/**
 * Sends a pending refund to the provider once (the claim marks it sent, so the job and the
 * after-commit call never both send it). Without credentials it is left for staff, saying so.
 */
export async function executeRefund(ctx: Context, refundId: number): Promise<'settled' | 'sent' | 'staff' | 'skipped'> {
  const [claimed] = await sequelize().query<{ id: number }>(
    `UPDATE payment_transaction SET provider_response = provider_response || jsonb_build_object('sent_at', :now::text), updated_at = :now
      WHERE id = :id AND transaction_type = 'refund' AND status = 'pending' AND provider_transaction_id IS NULL
        AND NOT (provider_response ? 'sent_at') AND NOT (provider_response ? 'staff')
      RETURNING id`,
    { replacements: { id: refundId, now: ctx.now().toISOString() }, type: QueryTypes.SELECT },
  );
  if (!claimed) return 'skipped';
  const refund = (await PaymentTransaction.findByPk(refundId))!;
  const order = (await PaymentOrder.findByPk(refund.payment_order_id))!;
  const adapter = providerAdapter(order.payment_provider);
  const note = async (fields: Record<string, unknown>, failure: string | null) => {
    await sequelize().query(
      `UPDATE payment_transaction SET provider_response = provider_response || :fields::jsonb, failure_reason = :failure, updated_at = :now
        WHERE id = :id AND status = 'pending'`,
      { replacements: { id: refundId, fields: JSON.stringify(fields), failure, now: ctx.now() } },
    );
  };
  let result;
  try {
    result = adapter?.refund
      ? await adapter.refund(config(), {
        order: forProvider(order), amountMinor: toMinor(refund.amount), idempotencyKey: `refund-${order.order_id}-${refund.id}`,
        reason: String(refund.provider_response?.reason ?? 'refund'),
      })
      : null;
  } catch (err) {
    // Possibly half-done at the provider: never re-sent automatically; staff check and confirm.
    await note({ staff: true }, `${order.payment_provider} refused the refund: ${(err as Error).message}`.slice(0, 1000));
    return 'staff';
  }
  if (!result) {
    await note({ staff: true }, `no ${order.payment_provider} API to refund through: execute it by hand, then confirm it`);
    return 'staff';
  }
  await withTransaction(ctx, async (tx, ctx) => {
    const locked = (await PaymentOrder.findByPk(order.id, { lock: tx.LOCK.UPDATE, transaction: tx }))!;
    const fresh = (await PaymentTransaction.findByPk(refundId, { transaction: tx }))!;
    if (result.settled) {
      await completeRefund(ctx, locked, fresh, { providerRefundId: result.id, response: result.response });
    } else {
      await fresh.update({ provider_transaction_id: result.id, provider_response: { ...fresh.provider_response, provider: result.response } }, { transaction: tx });
    }
  });
  return result.settled ? 'settled' : 'sent';
}

/** Job: refunds decided but never sent (process ended before the after-commit call). */
export async function executePendingRefunds(ctx: Context, { batchSize = 100 } = {}): Promise<{ attempted: number }> {
  const due = await PaymentTransaction.findAll({
    where: {
      transaction_type: 'refund', status: 'pending', provider_transaction_id: null,
      [Op.and]: [sequelize().literal("NOT (provider_response ? 'sent_at') AND NOT (provider_response ? 'staff')")],
    },
    attributes: ['id'], order: [['created_at', 'ASC']], limit: batchSize,
  });
  for (const r of due) await executeRefund(ctx, r.id);
  return { attempted: due.length };
}

/** Panel: staff executed a pending refund by hand (cash handed back, provider dashboard) → confirmed. */
export async function confirmRefund(ctx: Context, input: { refundId: number; reference: string }): Promise<PaymentTransaction> {
  authorizeStaff(ctx.actor);
  const reference = input.reference.trim();
  if (!reference) throw ValidationFailed.field('reference', 'is required');
  return withTransaction(ctx, async (tx, ctx) => {
    const refund = await PaymentTransaction.findByPk(input.refundId, { transaction: tx });
    if (!refund || refund.transaction_type !== 'refund') throw new Conflict('Not a refund');
    const order = (await PaymentOrder.findByPk(refund.payment_order_id, { lock: tx.LOCK.UPDATE, transaction: tx }))!;
    await refund.reload({ transaction: tx });
    if (refund.status !== 'pending') throw new Conflict(`Refund is ${refund.status}`);
    await completeRefund(ctx, order, refund, { providerRefundId: reference.slice(0, 255), response: { confirmed_by: ctx.actor!.uuid, reference } });
    return refund.reload({ transaction: tx });
  });
}

/**
 * A provider reports refunds on an order (refund webhook). Each reported refund is counted once:
 * found by its provider id, or matched to a pending refund of the same amount not yet sent by us
 * (staff executed it at the provider), or else a refund made at the provider, recorded now — never
 * beyond what was paid. Call inside the webhook's transaction; returns an error text or null.
 */
export async function reconcileRefunds(ctx: Context, orderId: number, meaning: WebhookMeaning, response: Record<string, unknown>): Promise<string | null> {
  const tx = ctx.transaction!;
  const order = (await PaymentOrder.findByPk(orderId, { lock: orderRowLock(tx), transaction: tx }))!;
  const refunds = await PaymentTransaction.findAll({
    where: { payment_order_id: order.id, transaction_type: 'refund' }, order: [['id', 'ASC']], transaction: tx,
  });
  let reported = meaning.refunds ?? [];
  if (!reported.length && meaning.refundedTotalMinor !== undefined) {
    // Only a running total: what exceeds the confirmed refunds is new.
    const delta = meaning.refundedTotalMinor - toMinor(order.refund_amount);
    if (delta <= 0) return null;
    reported = [{ id: `${meaning.providerPaymentId ?? order.order_id}:${meaning.refundedTotalMinor}`, amountMinor: delta }];
  }
  if (!reported.length) return 'the delivery names no refund';
  const errors: string[] = [];
  for (const r of reported) {
    const known = refunds.find((t) => t.provider_transaction_id === r.id);
    if (known) {
      if (known.status === 'pending') await completeRefund(ctx, order, known, { providerRefundId: r.id, response });
      continue;
    }
    const pending = refunds.find((t) => t.status === 'pending' && !t.provider_transaction_id && toMinor(t.amount) === r.amountMinor);
    if (pending) {
      await completeRefund(ctx, order, pending, { providerRefundId: r.id, response });
      pending.status = 'completed';
      continue;
    }
    if (!(PAID_STATUSES as readonly string[]).includes(order.status) && order.status !== 'refunded') {
      errors.push(`refund ${r.id} reported for an order that is ${order.status}`);
      continue;
    }
    const committed = await committedRefundMinor(order, ctx);
    if (committed + r.amountMinor > toMinor(order.amount)) {
      errors.push(`refund ${r.id} of ${fromMinor(r.amountMinor)} exceeds what is left of the payment`);
      continue;
    }
    const made = await PaymentTransaction.create({
      payment_order_id: order.id, transaction_type: 'refund', amount: fromMinor(r.amountMinor), status: 'pending',
      provider_response: { reason: 'refunded at the provider', staff: false, reported: true },
    }, { transaction: tx });
    await recordMoneyEvent(ctx, { type: 'refund', order, transaction: made });
    const full = committed + r.amountMinor === toMinor(order.amount);
    if (full && order.status !== 'refunded') {
      await order.update({ status: 'refunded', refund_reason: order.refund_reason ?? 'refunded at the provider' }, { transaction: tx });
      await releaseSeats(ctx, order);
    }
    await completeRefund(ctx, order, made, { providerRefundId: r.id, response });
    refunds.push(made);
  }
  return errors.length ? errors.join('; ') : null;
}
