import type { Config } from '../../../config.js';
import { PAYMENT_PROVIDERS, type PaymentProvider } from '../../../models/index.js';
import { bankTransfer } from './bank-transfer.js';
import { cash } from './cash.js';
import { gpay } from './gpay.js';
import { paypal } from './paypal.js';
import { paytm } from './paytm.js';
import { phonepe } from './phonepe.js';
import { razorpay } from './razorpay.js';
import { stripe } from './stripe.js';
import type { PaymentProviderAdapter } from './types.js';

export * from './types.js';

/**
 * The registry: one adapter per provider file. A provider of the ERD without an adapter here is
 * listed as not enabled and cannot be ordered with; adding its file and one line below is all it takes.
 */
const ADAPTERS: PaymentProviderAdapter[] = [stripe, razorpay, paypal, paytm, phonepe, gpay, cash, bankTransfer];

const byName = new Map<string, PaymentProviderAdapter>(ADAPTERS.map((a) => [a.name, a]));

export function providerAdapter(name: string): PaymentProviderAdapter | undefined {
  return byName.get(name);
}

/** Adapters that receive webhooks (each gets POST /payments/webhooks/<name>). */
export function webhookAdapters(): (PaymentProviderAdapter & { webhook: NonNullable<PaymentProviderAdapter['webhook']> })[] {
  return ADAPTERS.filter((a): a is PaymentProviderAdapter & { webhook: NonNullable<PaymentProviderAdapter['webhook']> } => !!a.webhook);
}

/** GET /payments/providers: the eight ERD providers, in ERD order. */
export function providerList(cfg: Config): { provider: PaymentProvider; enabled: boolean; methods: string[] }[] {
  return PAYMENT_PROVIDERS.map((provider) => {
    const a = byName.get(provider);
    return { provider, enabled: !!a && a.enabled(cfg), methods: a ? [...a.methods] : [] };
  });
}

/** Providers whose webhooks may confirm an order placed with `provider`. */
export function confirmingProviders(cfg: Config, provider: string): string[] {
  const a = byName.get(provider);
  return a?.confirmedBy ? a.confirmedBy(cfg) : [provider];
}

/** Providers of the orders `adapterName`'s webhooks may confirm (the inverse of confirmingProviders). */
export function providersConfirmedBy(cfg: Config, adapterName: string): PaymentProvider[] {
  return PAYMENT_PROVIDERS.filter((p) => confirmingProviders(cfg, p).includes(adapterName));
}
