import { Conflict } from '../../../lib/errors.js';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { fromMinor, toMinor } from '../../../lib/money.js';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../../db/connection.js';
import { CapacityReservation, Event, PaymentOrder, type AttendanceRecord } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { hostEvents } from '../../webhooks/index.js';
import { writeFulfilment } from './writes.js';
import { isExpired, isOpen, orderRowLock, PAID_STATUSES, releaseHoldOf } from './orders.js';
import { recordRefund } from './refunds.js';
import { recordMoneyEvent, saleEntries } from '../../money/ledger.js';
import { seatBuyer } from './seating.js';

/** Money a provider (or the host, for cash) confirmed for an order. */
export interface ConfirmedPayment {
  amountMinor: number;
  currency: string;
  /** The provider's payment id (PAYMENT_ORDER.provider_payment_id); null for cash/bank. */
  providerPaymentId: string | null;
  /** PAYMENT_TRANSACTION.provider_transaction_id / PAYMENT_ORDER.transaction_id (payment id or mark-paid reference). */
  reference: string | null;
  paymentMethod?: string | null;
  response: Record<string, unknown>;
}

/** The order paid and its completed payment transaction, one round trip (the order row is already locked). */
const PAY_SQL = `WITH o AS (
  UPDATE payment_order SET status = 'paid', paid_at = $now, failure_reason = NULL, provider_payment_id = $providerPaymentId,
         transaction_id = $transactionId, payment_method = $method, provider_response = $orderResponse::jsonb, updated_at = $now
   WHERE id = $id RETURNING id
)
INSERT INTO payment_transaction (payment_order_id, transaction_type, amount, status, provider_transaction_id, provider_response,
                                 created_at, updated_at)
SELECT o.id, 'payment', $amount::numeric, 'completed', $providerTransactionId, $response::jsonb, $now, $now FROM o
RETURNING id`;

export type Fulfilment =
  | { outcome: 'paid'; order: PaymentOrder; ticket: AttendanceRecord }
  | { outcome: 'already_paid'; order: PaymentOrder }
  /** Money arrived for an order already paid by another payment: staff must refund it (processing_error). */
  | { outcome: 'other_payment'; order: PaymentOrder }
  /** Late payment and no seats (or the event closed): refunded in full, buyer told. */
  | { outcome: 'refunded'; order: PaymentOrder; reason: string }
  /** The caller's check refused the payment for this order (amount, currency, provider): nothing changed. */
  | { outcome: 'refused'; order: PaymentOrder; error: string };

/**
 * FULFILMENT — the one command that turns confirmed money into a seat, for webhooks and mark-paid
 * alike, in ONE transaction: order paid, PAYMENT_TRANSACTION, hold consumed, attendee + ticket
 * (joining's seating path, capacity claimed last), notification and receipt email, audit.
 * The order row lock (taken first) serializes every delivery and action on the order.
 *
 * A late payment (order expired/cancelled/failed, or hold no longer live) is honoured when the seats
 * are free; otherwise — or when the event closed — the money is refunded in full at once.
 * Hooks of other domains (ledger, outbox) join writeFulfilment's one statement (./writes.ts).
 */
export async function fulfilOrder(
  ctx: Context, orderId: number, payment: ConfirmedPayment, check?: (order: PaymentOrder) => string | null,
): Promise<Fulfilment> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    // One round trip: the order (locked), its event and its hold (the seating call arbitrates the hold).
    const order = await PaymentOrder.findByPk(orderId, {
      include: [{ model: Event, as: 'event', required: true }, { model: CapacityReservation, as: 'reservation', required: false }],
      lock: { level: orderRowLock(tx), of: PaymentOrder }, transaction: tx,
    });
    if (!order) throw new Conflict('Order is gone');
    const refused = check?.(order);
    if (refused) return { outcome: 'refused', order, error: refused };
    if ((PAID_STATUSES as readonly string[]).includes(order.status) || order.status === 'refunded') {
      const same = order.provider_payment_id === payment.providerPaymentId || (!payment.providerPaymentId && !order.provider_payment_id)
        || order.transaction_id === payment.reference;
      return { outcome: same ? 'already_paid' : 'other_payment', order };
    }
    const event = order.event!;
    const hold = order.reservation ?? null;
    const before = { status: order.status, failure_reason: order.failure_reason };
    const late = !isOpen(order) || isExpired(order, now) || !hold || !!hold.released_at || hold.expires_at.getTime() <= now.getTime();

    // The money is ours to account for from here, whatever happens to the seat: the order paid and its
    // PAYMENT_TRANSACTION in one statement (no model save: the values are set on the instance below).
    const paid = {
      status: 'paid' as const, paid_at: now, failure_reason: null,
      provider_payment_id: payment.providerPaymentId ?? order.provider_payment_id,
      transaction_id: payment.reference ?? payment.providerPaymentId ?? order.transaction_id,
      payment_method: payment.paymentMethod ?? order.payment_method,
      provider_response: { ...(order.provider_response ?? {}), payment: payment.response },
      updated_at: now,
    };
    const amount = fromMinor(payment.amountMinor);
    if (payment.amountMinor <= 0) throw new Conflict(`Payment amount ${amount} must be positive`);
    const [txn] = await sequelize().query<{ id: number }>(PAY_SQL, {
      bind: {
        id: order.id, now, providerPaymentId: paid.provider_payment_id, transactionId: paid.transaction_id, method: paid.payment_method,
        orderResponse: JSON.stringify(paid.provider_response), amount, providerTransactionId: payment.reference ?? payment.providerPaymentId,
        response: JSON.stringify(payment.response),
      },
      transaction: tx, type: QueryTypes.SELECT,
    });
    order.set(paid, { raw: true });
    for (const k of Object.keys(paid)) order.changed(k as keyof typeof paid, false);

    let seated: { ticket: AttendanceRecord } | null = null;
    let refusal: string | null = null;
    try {
      seated = await seatBuyer(ctx, { order, reservation: hold });
    } catch (err) {
      if (!(err instanceof Conflict)) throw err;
      refusal = err.message;
    }

    if (!seated) {
      const reason = `late payment: ${refusal ?? 'no seats'}`;
      await releaseHoldOf(ctx, order, now);
      // Booked as a sale without fee (the host got no seat sold), then refunded in full: nets to zero.
      await recordMoneyEvent(ctx, { type: 'sale', order, fee: 0 });
      await recordRefund(ctx, order, { amountMinor: null, reason, command: 'payments.order.refund_late_payment', notifyBuyer: false });
      await notify(ctx, {
        recipientId: order.user_id, type: 'payment_failed', email: true,
        title: `Refunded: ${event.title}`.slice(0, 200),
        message: `Your payment for ${event.title} arrived after your seats were released and they could not be given again (${refusal ?? 'no seats'}). `
          + `It is refunded in full: ${order.currency} ${order.amount}.`,
        reference: { type: 'payment_order', id: order.id, uuid: order.uuid },
        metadata: { amount: order.amount, currency: order.currency, order_reference: order.order_reference, event_title: event.title },
      });
      await audit(ctx, {
        action: 'update', command: 'payments.order.fulfil', severity: 'high', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
        oldValues: before, newValues: { status: 'refunded', paid: order.amount, refunded: order.amount, reason },
        payload: { payment_transaction_id: txn!.id, provider_payment_id: payment.providerPaymentId },
      });
      return { outcome: 'refunded', order, reason };
    }

    // The receipt, audit row, host event and ledger entries in one statement (the event row is locked from the claim on).
    await writeFulfilment(ctx, {
      notice: {
        recipientId: order.user_id, type: 'payment_success', email: true,
        title: `Payment received: ${event.title}`.slice(0, 200),
        message: `Your payment of ${order.currency} ${order.amount} for ${event.title} is confirmed. Your ticket is ready.`,
        reference: { type: 'payment_order', id: order.id, uuid: order.uuid },
        metadata: {
          template: 'receipt', amount: order.amount, currency: order.currency, order_reference: order.order_reference,
          event_title: event.title, starts_at: event.start_time.toISOString(), ticket_uuid: seated.ticket.uuid,
        },
      },
      audit: {
        action: 'update', command: 'payments.order.fulfil', severity: 'high', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
        oldValues: before, newValues: { status: 'paid', amount: order.amount, late },
        payload: { payment_transaction_id: txn!.id, provider_payment_id: payment.providerPaymentId, ticket_uuid: seated.ticket.uuid },
      },
      hostEvents: [hostEvents.orderPaid(event, order, seated.ticket)],
      ledger: saleEntries(order, event.host_id, order.platform_fee),
    });
    return { outcome: 'paid', order, ticket: seated.ticket };
  });
}

/**
 * A failed payment: an open order becomes `failed` with the provider's reason, its hold is
 * released, the buyer is told. A failure reported for an order no longer open changes nothing.
 */
export async function failOrder(ctx: Context, orderId: number, failure: { reason: string }): Promise<{ changed: boolean; order: PaymentOrder }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const order = await PaymentOrder.findByPk(orderId, { lock: orderRowLock(tx), transaction: tx });
    if (!order) throw new Conflict('Order is gone');
    if (!isOpen(order)) return { changed: false, order };
    const before = order.status;
    const reason = failure.reason.slice(0, 1000);
    await order.update({ status: 'failed', failure_reason: reason }, { transaction: tx });
    const released = await releaseHoldOf(ctx, order, now);
    const event = await Event.findByPk(order.event_id, { transaction: tx });
    await notify(ctx, {
      recipientId: order.user_id, type: 'payment_failed', email: true,
      title: `Payment failed${event ? `: ${event.title}` : ''}`.slice(0, 200),
      message: `Your payment of ${order.currency} ${order.amount} did not go through (${reason}). Your held seats were released.`,
      reference: { type: 'payment_order', id: order.id, uuid: order.uuid },
      metadata: { amount: order.amount, currency: order.currency, order_reference: order.order_reference, event_title: event?.title },
    });
    await audit(ctx, {
      action: 'update', command: 'payments.order.fail', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
      oldValues: { status: before }, newValues: { status: 'failed', failure_reason: reason, hold_released: released > 0 },
    });
    return { changed: true, order };
  });
}

export const amountMatches = (order: PaymentOrder, amountMinor: number | null, currency: string | null): string | null => {
  if (amountMinor === null || !currency) return 'the delivery carries no amount or currency';
  if (currency !== order.currency) return `currency ${currency} differs from the order's ${order.currency}`;
  if (amountMinor !== toMinor(order.amount)) return `amount ${fromMinor(amountMinor)} differs from the order's ${order.amount}`;
  return null;
};
