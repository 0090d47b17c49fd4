import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, ValidationFailed } from '../../../lib/errors.js';
import { toMinor } from '../../../lib/money.js';
import { authorizeManageMoney } from '../policy.js';
import { providerAdapter } from '../providers/index.js';
import { fulfilOrder, type Fulfilment } from './fulfil.js';
import { findOrder, isExpired, isOpen } from './orders.js';

/**
 * POST /payments/orders/{uuid}/mark-paid: the host or staff confirm cash or a bank transfer with a
 * reference (receipt number, bank reference); then the same fulfilment a webhook runs. An order
 * past expires_at is refused at once, before the expiry job records it.
 */
export async function markPaid(ctx: Context, input: { orderUuid: string; reference: string }): Promise<Fulfilment> {
  const reference = input.reference.trim();
  if (!reference) throw ValidationFailed.field('reference', 'is required');
  return withTransaction(ctx, async (tx, ctx) => {
    const { order, event } = await findOrder(input.orderUuid, tx, true);
    authorizeManageMoney(ctx.actor, order, event);
    if (!providerAdapter(order.payment_provider)?.offline) {
      throw new Conflict(`Only cash and bank_transfer orders are marked paid; this one is confirmed by ${order.payment_provider}`);
    }
    if (!isOpen(order)) throw new Conflict(`Order is ${order.status}`);
    if (isExpired(order, ctx.now())) throw new Conflict('Order has expired');
    return fulfilOrder(ctx, order.id, {
      amountMinor: toMinor(order.amount), currency: order.currency, providerPaymentId: null, reference: reference.slice(0, 255),
      paymentMethod: order.payment_method, response: { marked_paid_by: ctx.actor!.uuid, reference },
    });
  });
}
