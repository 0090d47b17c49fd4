import type { RecordActionResponse } from 'adminjs';
import { confirmRefund, markPaid, refundOrder, retryWebhook } from '../../src/modules/payments/commands/index.js';
import { providerAdapter } from '../../src/modules/payments/providers/index.js';
import { eventMoney } from '../../src/modules/payments/reports.js';
import { refundNeedsReauth } from '../../src/admin/reauth.js';
import { toMinor } from '../../src/lib/money.js';
import { commandAction } from './define.js';
import { reauthAction } from './reauth.js';
import type { CommandActions } from './types.js';

/*
 * AdminJS actions on payments: thin doors to the payments commands the API uses (row locks,
 * limits, fulfilment, audit included), run as POST through ConfirmCommand. Money is never edited.
 */
const truthy = (v: unknown) => v === true || v === 'true';

export const orderActions: CommandActions = {
  // A refund above REFUND_REAUTH_ABOVE asks the staff member's password again (host money, issue 17).
  refund: reauthAction({
    label: 'Refund', icon: 'RotateCcw', variant: 'danger', purpose: 'refund this much',
    when: (p, f) => refundNeedsReauth(f.amount?.trim() ? toMinor(f.amount) : toMinor(String(p.amount)) - toMinor(String(p.refund_amount ?? '0'))),
    isVisible: (p) => p.status === 'paid' || p.status === 'completed',
    confirm: 'Refund this order? Leave the amount empty to refund everything still refundable; a full refund cancels the ticket and frees the seats.',
    fields: [
      { name: 'amount', label: 'Amount (empty: all that is left)' },
      { name: 'reason', label: 'Reason', type: 'textarea', required: true },
    ],
    run: async (ctx, params, payload) => {
      const { refund } = await refundOrder(ctx, {
        orderUuid: String(params.uuid), amount: payload.amount?.trim() || undefined, reason: payload.reason ?? '',
      });
      return `Refund of ${refund.amount} recorded (${refund.status}); it is sent to the provider when its API is configured`;
    },
  }),
  markPaid: commandAction({
    label: 'Mark paid', icon: 'DollarSign', variant: 'primary',
    isVisible: (p) => (p.status === 'created' || p.status === 'pending') && !!providerAdapter(String(p.payment_provider))?.offline,
    confirm: 'Confirm that the cash or bank transfer was received? The buyer gets their ticket.',
    fields: [{ name: 'reference', label: 'Receipt number or bank reference', required: true }],
    run: async (ctx, params, payload) => {
      const done = await markPaid(ctx, { orderUuid: String(params.uuid), reference: payload.reference ?? '' });
      return done.outcome === 'paid' ? 'Order paid: ticket issued' : `Order ${done.order.status}`;
    },
  }),
};

export const transactionActions: CommandActions = {
  confirmRefund: commandAction({
    label: 'Confirm refund executed', icon: 'CheckCircle', variant: 'primary',
    isVisible: (p) => p.transaction_type === 'refund' && p.status === 'pending',
    confirm: 'Confirm this refund was executed (cash handed back, or refunded in the provider dashboard)?',
    fields: [{ name: 'reference', label: 'Reference (provider refund id, receipt…)', required: true }],
    run: async (ctx, params, payload) => {
      await confirmRefund(ctx, { refundId: Number(params.id), reference: payload.reference ?? '' });
      return 'Refund confirmed';
    },
  }),
};

export const webhookActions: CommandActions = {
  retry: commandAction({
    label: 'Retry processing', icon: 'RefreshCw',
    isVisible: (p) => !truthy(p.processed) || !!p.processing_error,
    confirm: 'Apply this stored delivery again (its signature was checked when it arrived)?',
    run: async (ctx, params) => {
      const outcome = await retryWebhook(ctx, Number(params.id));
      return outcome.processed ? 'Delivery processed' : `Still not processed: ${outcome.error}`;
    },
  }),
};

/** The event page's money (virtual, read-only properties filled after the stock show action). */
export const EVENT_MONEY = ['orders_paid', 'revenue', 'refunded', 'refunds_pending', 'platform_fees', 'host_share', 'net'] as const;
export const eventMoneyProperties = Object.fromEntries(EVENT_MONEY.map((key, i) => [key, {
  type: key === 'orders_paid' ? ('number' as const) : ('string' as const),
  isVisible: { list: false, filter: false, show: true, edit: false },
  position: 900 + i,
}]));

export async function withEventMoney(response: RecordActionResponse): Promise<RecordActionResponse> {
  const id = Number(response.record?.params?.id);
  if (!Number.isSafeInteger(id)) return response;
  const money = await eventMoney(id);
  Object.assign(response.record.params, money);
  return response;
}
