import type { Config } from '../../../config.js';
import type { PaymentProvider } from '../../../models/index.js';

/*
 * THE PROVIDER SEAM. Everything provider-specific lives behind this interface, one file per
 * provider in this folder, registered in ./index.ts. The payment commands (orders, webhooks,
 * fulfilment, refunds) never name a provider: they call these methods and act on what they return.
 *
 * Adding a provider (PayPal, Paytm, PhonePe, Google Pay…) = one file exporting a PaymentProviderAdapter
 * and one line in the registry. Its webhook is then served at POST /api/payments/webhooks/<name>
 * (routes iterate the registry), verified on the raw body, and handled by the same commands.
 */

/** What an order looks like to a provider when it builds the app's `client` data or refunds. */
export interface OrderForProvider {
  order_id: string;
  order_reference: string;
  /** Integer minor units (paise, cents). */
  amountMinor: number;
  currency: string;
  /** The provider's id of the payment (Stripe PaymentIntent, Razorpay payment), once known. */
  provider_payment_id: string | null;
  /** What createClient stored earlier (e.g. the Stripe PaymentIntent id), for re-use. */
  provider_response: Record<string, unknown>;
  description: string;
}

/** The app's `client` data plus what to remember on the order (provider_response, provider ids). */
export interface CreatedClient {
  client: Record<string, unknown>;
  /** Stored in PAYMENT_ORDER.provider_response (merged), never shown in panel lists. */
  remember?: Record<string, unknown>;
  /** The provider's id of the payment, when creating the client already made one (Stripe PaymentIntent). */
  providerPaymentId?: string;
}

/** One delivery as it reached us: the exact bytes and the headers (lower-case names). */
export interface RawDelivery {
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
  /** When it arrived (the app clock): signature timestamps are checked against it. */
  receivedAt: Date;
}

/** A delivery whose signature checked out: its provider event id, type and parsed payload. */
export interface VerifiedDelivery {
  /** Unique per provider: a second delivery with the same id changes nothing. */
  eventId: string;
  /** The provider's event type (`payment_intent.succeeded`, `payment.captured`…). */
  type: string;
  /** The parsed body, stored in PAYMENT_WEBHOOK.payload and re-read by "Retry processing". */
  payload: Record<string, unknown>;
  /** The signature header as received (stored in PAYMENT_WEBHOOK.signature). */
  signature: string;
}

export type WebhookKind = 'paid' | 'failed' | 'refunded' | 'chargeback' | 'ignored';

/** A refund as a provider reports it: its id and amount in minor units. */
export interface ReportedRefund {
  id: string;
  amountMinor: number;
}

/** What a verified delivery means for an order, in the provider-neutral terms the commands act on. */
export interface WebhookMeaning {
  kind: WebhookKind;
  /** Our PAYMENT_ORDER.order_id, as the provider echoes it back (metadata / notes). */
  orderId: string | null;
  /** paid/failed: the payment's amount; refunded: see `refunds` / `refundedTotalMinor`. */
  amountMinor: number | null;
  /** ISO 4217, upper case. */
  currency: string | null;
  providerPaymentId?: string | null;
  paymentMethod?: string | null;
  failureReason?: string | null;
  /** refunded: the individual refunds, when the provider lists them. */
  refunds?: ReportedRefund[];
  /** refunded: the cumulative amount refunded, when the provider reports only that. */
  refundedTotalMinor?: number;
  /**
   * chargeback: the dispute the merchant lost (its provider id: one chargeback per dispute) and why;
   * `amountMinor` is the amount taken. The order may be named only by `providerPaymentId`.
   */
  dispute?: { id: string | null; reason: string | null };
}

export interface RefundAtProvider {
  order: OrderForProvider;
  amountMinor: number;
  /** Idempotency key: the same refund asked twice is one refund at the provider. */
  idempotencyKey: string;
  reason: string;
}

/** The provider's answer to a refund: its id, and whether the money has already moved. */
export interface ProviderRefund {
  id: string;
  settled: boolean;
  response: Record<string, unknown>;
}

/** Raised by verify(): the delivery is refused with 400 and nothing is stored as processed. */
export class WebhookRejected extends Error {}

export interface PaymentProviderAdapter {
  name: PaymentProvider;
  /** Payment methods offered through this provider (GET /payments/providers). */
  methods: readonly string[];
  /** PAYMENT_ORDER.payment_method at creation (the webhook may refine it). */
  defaultMethod: string;
  /** Orders may be placed with it (credentials configured; cash and bank_transfer always). */
  enabled(cfg: Config): boolean;
  /** Money taken outside any API (cash, bank transfer): host or staff confirm it with mark-paid. */
  offline: boolean;
  /**
   * Whose webhooks may confirm this provider's orders (default: its own). Google Pay orders, taken
   * through a UPI gateway, name that gateway here.
   */
  confirmedBy?(cfg: Config): PaymentProvider[];
  /** Unpaid orders expire at the hold's expiry (online) or this many hours after creation (offline). */
  orderHours?(cfg: Config): number;
  /** The app's `client` data, or null when the provider's API credentials are not configured. */
  createClient(cfg: Config, order: OrderForProvider): Promise<CreatedClient | null>;
  /** Webhooks, when the provider sends them. */
  webhook?: {
    /** The signing secret is set (else the route answers 503). */
    configured(cfg: Config): boolean;
    /**
     * Checks the signature on the raw bytes BEFORE parsing; throws WebhookRejected (400). May be
     * async (PayPal fetches its signing certificate).
     */
    verify(cfg: Config, delivery: RawDelivery): VerifiedDelivery | Promise<VerifiedDelivery>;
    /** What the (already verified, stored) payload means. Pure: also used by "Retry processing". */
    interpret(delivery: Pick<VerifiedDelivery, 'type' | 'payload'>): WebhookMeaning;
    /** Header names documented in OpenAPI. */
    signatureHeader: string;
  };
  /** Refunds through the provider's API; null when its API credentials are not configured. */
  refund?(cfg: Config, input: RefundAtProvider): Promise<ProviderRefund | null>;
}
