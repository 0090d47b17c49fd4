import {
  CURRENCIES, PAYMENT_ORDER_STATUSES, PAYMENT_PROVIDERS, PaymentOrder, PaymentTransaction, PaymentWebhook,
  TRANSACTION_STATUSES, TRANSACTION_TYPES,
} from '../src/models/index.js';
import { refundNeedsReauth } from '../src/admin/reauth.js';
import { toMinor } from '../src/lib/money.js';
import { refundOrder } from '../src/modules/payments/commands/index.js';
import { reauthAction } from './actions/reauth.js';
import { NAV, choices, jsonShow, newestFirst, readOnlyActions, showOnly, type ResourceList, withOptions } from '../src/admin/resource-options.js';

/**
 * Payments domain: money is never edited by hand. Orders, transactions and webhook deliveries are
 * read-only here; paying, refunding and marking paid go through the payments commands. Provider
 * payloads are shown on the record page only (they may carry client secrets, so never in lists).
 */
export const paymentsResources: ResourceList = (make) => [
  withOptions(make(PaymentOrder, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'order_reference', 'event_id', 'user_id', 'amount', 'currency', 'status', 'payment_provider', 'created_at'],
    filterProperties: ['order_reference', 'order_id', 'event_id', 'user_id', 'status'],
    properties: {
      order_reference: { isTitle: true },
      status: choices(PAYMENT_ORDER_STATUSES),
      currency: choices(CURRENCIES),
      payment_provider: choices(PAYMENT_PROVIDERS),
      provider_response: jsonShow,
    },
    actions: {
      ...readOnlyActions,
      // Host money (issue 17): a refund above REFUND_REAUTH_ABOVE asks the staff member's password again.
      refund: reauthAction({
        label: 'Refund', icon: 'RotateCcw', variant: 'danger', purpose: 'refund this much',
        isVisible: (p) => ['paid', 'completed'].includes(String(p.status)),
        fields: [
          { name: 'amount', label: 'Amount (empty: everything not yet refunded)' },
          { name: 'reason', label: 'Reason', type: 'textarea', required: true },
        ],
        when: (p, f) => refundNeedsReauth(f.amount ? toMinor(f.amount) : toMinor(String(p.amount)) - toMinor(String(p.refund_amount ?? '0'))),
        run: async (ctx, p, f) => {
          const { refund } = await refundOrder(ctx, { orderUuid: String(p.uuid), amount: f.amount || undefined, reason: f.reason ?? '' });
          return `Refund of ${refund.amount} recorded`;
        },
      }),
    },
  }),
  withOptions(make(PaymentTransaction, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'payment_order_id', 'transaction_type', 'amount', 'status', 'created_at'],
    filterProperties: ['payment_order_id'],
    properties: {
      provider_transaction_id: { isTitle: true },
      transaction_type: choices(TRANSACTION_TYPES),
      status: choices(TRANSACTION_STATUSES),
      provider_response: jsonShow,
    },
    actions: readOnlyActions,
  }),
  withOptions(make(PaymentWebhook, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'provider', 'webhook_type', 'payment_order_id', 'processed', 'processing_error', 'created_at'],
    filterProperties: ['provider', 'payment_order_id', 'processed'],
    properties: { provider_event_id: { isTitle: true }, provider: choices(PAYMENT_PROVIDERS), payload: jsonShow, signature: showOnly },
    actions: readOnlyActions,
  }),
];
