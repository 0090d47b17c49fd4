import { fromMinor } from '../../../lib/money.js';
import type { PaymentProviderAdapter } from './types.js';

/*
 * Cash handed to the host: no API and no webhook. The host or staff confirm the money with
 * mark-paid (a reference such as a receipt number), which runs the same fulfilment as a webhook.
 * Refunds are recorded for staff to hand back (refund() is absent: nothing to call).
 */
export const cash: PaymentProviderAdapter = {
  name: 'cash',
  methods: ['cash'],
  defaultMethod: 'cash',
  offline: true,
  enabled: () => true,
  orderHours: (cfg) => cfg.CASH_ORDER_HOURS,
  createClient: async (_cfg, order) => ({
    client: { pay_to: 'host', reference: order.order_reference, amount: fromMinor(order.amountMinor), currency: order.currency },
  }),
};
