import { Op } from 'sequelize';
import type { Context } from '../../context.js';
import { withTransaction } from '../../db/transaction.js';
import { toMinor } from '../../lib/money.js';
import { PaymentOrder, type Event } from '../../models/index.js';
import { committedRefundMinor, recordRefund } from './commands/refunds.js';

export interface RecordedRefund {
  orderId: number;
  amount: string;
}

/**
 * A cancelled event's paid orders are refunded in full — what is still unrefunded (amount −
 * refund_amount − refunds already pending) — through the one refund command, in the caller's
 * transaction (the cancellation commits with it or not at all): a pending refund transaction per
 * order, refund_reason 'event cancelled', the order `refunded`, its ticket void, audited at high
 * severity. The provider executes each after commit, as every refund; refund_amount rises only when
 * the money has moved. Running it twice records nothing more.
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
      if (toMinor(order.amount) - (await committedRefundMinor(order, ctx)) <= 0) continue;
      const refund = await recordRefund(ctx, order, {
        amountMinor: null, reason: 'event cancelled', command: 'payments.refund_for_cancelled_event', notifyBuyer: false,
      });
      recorded.push({ orderId: order.id, amount: refund.amount });
    }
    return recorded;
  });
}
