/*
 * The payments commands — the only place payment rules live. Routes, panel actions and jobs call
 * these; providers are reached only through the seam in ../providers.
 */
export { placeOrder, getOrder, listMyOrders, cancelOrder, findOrder } from './orders.js';
export { fulfilOrder, failOrder, type ConfirmedPayment, type Fulfilment } from './fulfil.js';
export { refundOrder, recordRefund, confirmRefund, executeRefund, executePendingRefunds } from './refunds.js';
export { recordChargeback, type ReportedChargeback } from './chargebacks.js';
export { receiveWebhook, retryWebhook, type WebhookReceipt } from './webhooks.js';
export { markPaid } from './mark-paid.js';
export { expireOrders } from './expire.js';
