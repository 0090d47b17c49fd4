import { Op } from 'sequelize';
import type { Context } from '../../context.js';
import { withTransaction } from '../../db/transaction.js';
import { fromMinor, toMinor } from '../../lib/money.js';
import { PaymentOrder, PaymentTransaction, type Event } from '../../models/index.js';
import { audit } from '../audit/writer.js';

export interface RecordedRefund {
  orderId: number;
  amount: string;
}

/**
 * Records a full refund of every paid order of a cancelled event: for each paid/completed order,
 * a pending `refund` PAYMENT_TRANSACTION for what is still unrefunded (amount − refund_amount −
 * refunds already pending) and refund_reason 'event cancelled', audited at high severity.
 *
 * Only the ledger intent is written here, in the caller's transaction (the cancellation commits
 * with it or not at all). The provider call itself is made later by the payments domain, which
 * picks up pending refund transactions; the order's refund_amount, refunded_at and status change
 * only when the provider confirms (its refund webhook), so money shown as refunded is money moved.
 * Running it twice records nothing more: refunds already pending are subtracted.
 */
export async function refundPaidOrdersForEvent(ctx: Context, event: Event): Promise<RecordedRefund[]> {
  return withTransaction(ctx, async (tx, ctx) => {
    const orders = await PaymentOrder.findAll({
      where: { event_id: event.id, status: { [Op.in]: ['paid', 'completed'] } },
      order: [['id', 'ASC']],
      lock: tx.LOCK.UPDATE,
      transaction: tx,
    });
    const recorded: RecordedRefund[] = [];
    for (const order of orders) {
      const pending = await PaymentTransaction.findAll({
        where: { payment_order_id: order.id, transaction_type: 'refund', status: 'pending' },
        attributes: ['amount'], transaction: tx,
      });
      const pendingMinor = pending.reduce((sum, t) => sum + toMinor(t.amount), 0);
      const due = toMinor(order.amount) - toMinor(order.refund_amount) - pendingMinor;
      if (due <= 0) continue;
      const amount = fromMinor(due);
      const refund = await PaymentTransaction.create({
        payment_order_id: order.id, transaction_type: 'refund', amount, status: 'pending',
        provider_response: { requested_by: 'event_cancellation', event_uuid: event.uuid },
      }, { transaction: tx });
      const oldReason = order.refund_reason ?? null;
      await order.update({ refund_reason: 'event cancelled' }, { transaction: tx });
      await audit(ctx, {
        action: 'update', command: 'payments.refund_for_cancelled_event', severity: 'high',
        object: { type: 'payment_order', id: order.id, uuid: order.uuid },
        userId: order.user_id,
        oldValues: { refund_reason: oldReason },
        newValues: { refund_reason: 'event cancelled', refund_requested: amount },
        payload: { event_uuid: event.uuid, refund_transaction_id: refund.id, currency: order.currency },
      });
      recorded.push({ orderId: order.id, amount });
    }
    return recorded;
  });
}
