import type { Context } from '../../../context.js';
import { fromMinor, toMinor } from '../../../lib/money.js';
import { Event, PaymentOrder, PaymentTransaction } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { recordMoneyEvent } from '../../money/ledger.js';
import { notify } from '../../notifications/writer.js';
import { orderRowLock, PAID_STATUSES } from './orders.js';
import { committedRefundMinor, releaseSeats } from './refunds.js';

export interface ReportedChargeback {
  provider: string;
  /** The provider's dispute id: one chargeback per dispute, however often it is reported. */
  disputeId: string;
  /** What the provider took; null = everything not yet given back. */
  amountMinor: number | null;
  reason: string | null;
  response: Record<string, unknown>;
}

/**
 * CHARGEBACK — a dispute the merchant lost (the provider's webhook says so; which event per
 * provider: docs/decisions/0800-host-money-ledger.md). Inside the webhook's transaction, with the
 * order locked: a completed `chargeback` transaction, the order's refund_amount raised (so no later
 * refund gives the same money back twice; all of it → refunded, seats freed), the ledger's
 * chargeback entry, the host told, audited. Returns an error to store on the delivery, or null.
 */
export async function recordChargeback(ctx: Context, orderId: number, c: ReportedChargeback): Promise<string | null> {
  const tx = ctx.transaction!;
  const order = (await PaymentOrder.findByPk(orderId, { lock: orderRowLock(tx), transaction: tx }))!;
  const known = await PaymentTransaction.findOne({
    where: { payment_order_id: order.id, transaction_type: 'chargeback', provider_transaction_id: c.disputeId }, attributes: ['id'], transaction: tx,
  });
  if (known) return null;
  if (!(PAID_STATUSES as readonly string[]).includes(order.status) && order.status !== 'refunded') {
    return `chargeback ${c.disputeId} reported for an order that is ${order.status}`;
  }
  const left = toMinor(order.amount) - (await committedRefundMinor(order, ctx));
  const amount = c.amountMinor ?? left;
  if (amount <= 0 || amount > left) {
    return `chargeback ${c.disputeId} of ${fromMinor(Math.max(amount, 0))} ${order.currency} exceeds the ${fromMinor(left)} not yet given back`;
  }
  const chargeback = await PaymentTransaction.create({
    payment_order_id: order.id, transaction_type: 'chargeback', amount: fromMinor(amount), status: 'completed',
    provider_transaction_id: c.disputeId.slice(0, 255), provider_response: { dispute_id: c.disputeId, reason: c.reason, confirmation: c.response },
  }, { transaction: tx });
  const before = { status: order.status, refund_amount: order.refund_amount };
  const full = amount === left;
  await order.update({
    refund_amount: fromMinor(toMinor(order.refund_amount) + amount),
    ...(full && order.status !== 'refunded' ? { status: 'refunded' as const, refund_reason: order.refund_reason ?? `chargeback: ${c.reason ?? 'dispute lost'}` } : {}),
  }, { transaction: tx });
  const seatsFreed = full ? await releaseSeats(ctx, order) : 0;
  await recordMoneyEvent(ctx, { type: 'chargeback', order, transaction: chargeback });
  const event = (await Event.findByPk(order.event_id, { attributes: ['id', 'uuid', 'title', 'host_id'], transaction: tx }))!;
  await notify(ctx, {
    recipientId: event.host_id, type: 'system', email: true,
    title: `Chargeback of ${order.currency} ${fromMinor(amount)}`,
    message: `The buyer's bank reversed ${order.currency} ${fromMinor(amount)} of order ${order.order_reference} for “${event.title}”`
      + ` (${c.reason ?? 'dispute lost'}). It is taken from your balance.`,
    reference: { type: 'payment_order', id: order.id, uuid: order.uuid },
    metadata: { amount: fromMinor(amount), currency: order.currency, order_reference: order.order_reference, dispute_id: c.disputeId },
  });
  await audit(ctx, {
    action: 'update', command: 'payments.order.chargeback', severity: 'high', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
    userId: order.user_id, oldValues: before,
    newValues: { status: order.status, refund_amount: order.refund_amount, chargeback: fromMinor(amount), seats_freed: seatsFreed },
    payload: { provider: c.provider, dispute_id: c.disputeId, reason: c.reason, chargeback_transaction_id: chargeback.id, currency: order.currency },
  });
  return null;
}
