import { formatMoney } from '../../lib/money.js';
import type { PaymentOrder, PaymentTransaction } from '../../models/index.js';
import { isExpired } from './commands/orders.js';

/**
 * An order as the API shows it. An open order past expires_at is shown as the expiry job will
 * record it (cancelled, "expired"), so clients never see a payable order that is not.
 * `refundPendingMinor` is computed by the command (presenters never query).
 */
export function presentOrder(order: PaymentOrder, now: Date, refundPending = '0.00') {
  const expired = isExpired(order, now);
  const client = order.provider_response && typeof order.provider_response.client === 'object' ? order.provider_response.client : null;
  return {
    uuid: order.uuid,
    order_id: order.order_id,
    order_reference: order.order_reference,
    amount: formatMoney(order.amount),
    currency: order.currency,
    status: expired ? ('cancelled' as const) : order.status,
    provider: order.payment_provider,
    payment_method: order.payment_method ?? null,
    expires_at: order.expires_at.toISOString(),
    refund_amount: formatMoney(order.refund_amount),
    refund_pending: formatMoney(refundPending),
    failure_reason: expired ? 'expired' : order.failure_reason ?? null,
    client: expired ? null : (client as Record<string, unknown> | null),
    event: order.event ? { uuid: order.event.uuid, slug: order.event.slug, title: order.event.title } : null,
    seats: order.seats ?? null,
    unit_price: order.unit_price == null ? null : formatMoney(order.unit_price),
    platform_fee: formatMoney(order.platform_fee ?? '0'),
    host_share: order.host_share == null ? null : formatMoney(order.host_share),
    paid_at: order.paid_at ? order.paid_at.toISOString() : null,
    created_at: order.created_at.toISOString(),
  };
}

export function presentRefund(order: PaymentOrder, refund: PaymentTransaction, now: Date, refundPending: string) {
  return {
    order: presentOrder(order, now, refundPending),
    refund: { amount: formatMoney(refund.amount), status: refund.status, created_at: refund.created_at.toISOString() },
  };
}
