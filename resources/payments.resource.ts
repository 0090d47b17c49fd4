import {
  CURRENCIES, PAYMENT_ORDER_STATUSES, PAYMENT_PROVIDERS, PaymentOrder, PaymentTransaction, PaymentWebhook,
  TRANSACTION_STATUSES, TRANSACTION_TYPES,
} from '../src/models/index.js';
import { orderActions, transactionActions, webhookActions } from './actions/payments.js';
import { NAV, choices, jsonShow, newestFirst, readOnlyActions, showOnly, type ResourceList, withOptions } from '../src/admin/resource-options.js';

/**
 * Payments domain: money is never edited by hand. Orders, transactions and webhook deliveries are
 * read-only here; Refund, Mark paid, Confirm refund and Retry processing are POST actions running
 * the payments commands. Provider payloads are shown on the record page only (they may carry client
 * secrets, so never in lists).
 */
export const paymentsResources: ResourceList = (make) => [
  withOptions(make(PaymentOrder, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'order_reference', 'event_id', 'user_id', 'amount', 'refund_amount', 'currency', 'status', 'payment_provider', 'created_at'],
    filterProperties: ['status', 'payment_provider', 'event_id', 'created_at', 'paid_at', 'order_reference', 'order_id', 'user_id'],
    properties: {
      order_reference: { isTitle: true },
      status: choices(PAYMENT_ORDER_STATUSES),
      currency: choices(CURRENCIES),
      payment_provider: choices(PAYMENT_PROVIDERS),
      provider_response: jsonShow,
    },
    actions: { ...readOnlyActions, ...orderActions },
  }),
  withOptions(make(PaymentTransaction, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'payment_order_id', 'transaction_type', 'amount', 'status', 'created_at'],
    filterProperties: ['payment_order_id', 'transaction_type', 'status', 'created_at'],
    properties: {
      provider_transaction_id: { isTitle: true },
      transaction_type: choices(TRANSACTION_TYPES),
      status: choices(TRANSACTION_STATUSES),
      provider_response: jsonShow,
    },
    actions: { ...readOnlyActions, ...transactionActions },
  }),
  withOptions(make(PaymentWebhook, { immutable: true }), {
    navigation: NAV.payments,
    sort: newestFirst,
    listProperties: ['id', 'provider', 'webhook_type', 'payment_order_id', 'processed', 'processing_error', 'created_at'],
    filterProperties: ['provider', 'payment_order_id', 'processed', 'webhook_type', 'created_at'],
    properties: { provider_event_id: { isTitle: true }, provider: choices(PAYMENT_PROVIDERS), payload: jsonShow, signature: showOnly },
    actions: { ...readOnlyActions, ...webhookActions },
  }),
];
