import { z } from '../../lib/zod.js';
import { PageQuery, page } from '../../http/pagination.js';
import { CURRENCIES, PAYMENT_ORDER_STATUSES, PAYMENT_PROVIDERS } from '../../models/index.js';
import { isMoney } from '../../lib/money.js';

const money = z.string().openapi({ example: '499.00', description: 'Decimal string, two places' });

export const ProviderOut = z.object({
  provider: z.enum(PAYMENT_PROVIDERS),
  enabled: z.boolean(),
  methods: z.array(z.string()),
});
export const ProviderList = z.array(ProviderOut);

export const CreateOrderBody = z.object({
  event: z.string().min(1).max(200).openapi({ description: 'Event uuid or slug' }),
  reservation_key: z.string().min(1).max(100).openapi({ description: 'From the accepted request/invite' }),
  provider: z.enum(PAYMENT_PROVIDERS),
  // Accepted and ignored: the server computes the amount (price × seats).
  amount: z.unknown().optional().openapi({ description: 'Ignored: the server computes the amount' }),
}).strip();

export const OrderOut = z.object({
  uuid: z.string().uuid(),
  order_id: z.string(),
  order_reference: z.string().openapi({ example: 'LP-2026-000123' }),
  amount: money,
  currency: z.enum(CURRENCIES),
  status: z.enum(PAYMENT_ORDER_STATUSES),
  provider: z.enum(PAYMENT_PROVIDERS),
  payment_method: z.string().nullable(),
  expires_at: z.string().datetime({ offset: true }),
  refund_amount: money.openapi({ description: 'Refunded so far (money moved back), "0.00" when none' }),
  refund_pending: money.openapi({ description: 'Refunds decided but not yet confirmed as executed' }),
  failure_reason: z.string().nullable(),
  client: z.record(z.string(), z.unknown()).nullable().openapi({ description: 'What the app needs to pay; null when the provider API is not configured' }),
  event: z.object({ uuid: z.string().uuid(), slug: z.string(), title: z.string() }).nullable(),
  seats: z.number().int().nullable(),
  unit_price: money.nullable(),
  platform_fee: money,
  host_share: money.nullable(),
  paid_at: z.string().datetime({ offset: true }).nullable(),
  created_at: z.string().datetime({ offset: true }),
});
export const OrderPage = page(OrderOut);

export const OrderParams = z.object({ uuid: z.string().min(1) });
export const OrderListQuery = PageQuery.extend({ status: z.enum(PAYMENT_ORDER_STATUSES).optional() });

export const MarkPaidBody = z.object({
  reference: z.string().trim().min(1).max(255).openapi({ description: 'Receipt number or bank reference' }),
});

export const RefundBody = z.object({
  amount: z.string().refine(isMoney, 'must be a decimal amount with at most 2 places').optional()
    .openapi({ description: 'Default: everything still refundable', example: '100.00' }),
  reason: z.string().trim().min(1).max(1000),
});

export const RefundOut = z.object({
  order: OrderOut,
  refund: z.object({
    amount: money,
    status: z.enum(['pending', 'completed', 'failed']),
    created_at: z.string().datetime({ offset: true }),
  }),
});

export const WebhookParams = z.object({ provider: z.string() });
export const WebhookOut = z.object({
  received: z.literal(true),
  duplicate: z.boolean(),
  processed: z.boolean(),
  error: z.string().nullable(),
});
