import { fromMinor } from '../../../lib/money.js';
import type { PaymentProviderAdapter } from './types.js';

/*
 * Bank transfer to the platform's account (BANK_* configuration) quoting the order reference.
 * Staff or the host confirm the credit with mark-paid. Without an account number configured there
 * is nothing to show the buyer: `client` is null.
 */
export const bankTransfer: PaymentProviderAdapter = {
  name: 'bank_transfer',
  methods: ['bank_transfer'],
  defaultMethod: 'bank_transfer',
  offline: true,
  enabled: () => true,
  orderHours: (cfg) => cfg.CASH_ORDER_HOURS,
  createClient: async (cfg, order) => (cfg.BANK_ACCOUNT_NUMBER
    ? {
      client: {
        account_name: cfg.BANK_ACCOUNT_NAME ?? null, account_number: cfg.BANK_ACCOUNT_NUMBER, ifsc: cfg.BANK_IFSC ?? null,
        bank_name: cfg.BANK_NAME ?? null, reference: order.order_reference, amount: fromMinor(order.amountMinor), currency: order.currency,
      },
    }
    : null),
};
