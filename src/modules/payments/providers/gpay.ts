import type { Config } from '../../../config.js';
import { razorpay } from './razorpay.js';
import type { PaymentProviderAdapter } from './types.js';

/*
 * Google Pay (UPI) has no merchant API of its own for this flow: it is taken through a UPI gateway
 * (GPAY_GATEWAY, Razorpay by default). The order keeps provider `gpay` and method `upi`; the
 * gateway creates the payment, sends the webhook that confirms it, and refunds it.
 */
const GATEWAYS = { razorpay } satisfies Record<Config['GPAY_GATEWAY'], PaymentProviderAdapter>;
const gateway = (cfg: Config): PaymentProviderAdapter => GATEWAYS[cfg.GPAY_GATEWAY];

export const gpay: PaymentProviderAdapter = {
  name: 'gpay',
  methods: ['upi'],
  defaultMethod: 'upi',
  offline: false,
  enabled: (cfg) => gateway(cfg).enabled(cfg),
  confirmedBy: (cfg) => [gateway(cfg).name],
  createClient: async (cfg, order) => {
    const created = await gateway(cfg).createClient(cfg, order);
    if (!created) return null;
    // The gateway's checkout opens straight on UPI apps (Google Pay among them).
    return { ...created, client: { ...created.client, gateway: gateway(cfg).name, method: 'upi', upi: { flow: 'intent' } } };
  },
  refund: (cfg, input) => gateway(cfg).refund?.(cfg, input) ?? Promise.resolve(null),
};
