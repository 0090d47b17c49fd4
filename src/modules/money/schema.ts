import { z } from '../../lib/zod.js';
import { PageQuery, page } from '../../http/pagination.js';
import { CURRENCIES, LEDGER_KINDS, PAYOUT_STATUSES } from '../../models/index.js';

const Money = z.string().openapi({ example: '499.00', description: 'Decimal string with two places' });
const SignedMoney = z.string().openapi({ example: '-49.90', description: 'Signed decimal string with two places' });

export const BalanceOut = z.array(z.object({
  currency: z.enum(CURRENCIES),
  pending: SignedMoney.openapi({ description: 'Entries of events that ended less than BALANCE_HOLD_DAYS ago' }),
  available: SignedMoney.openapi({ description: 'Cleared and not yet in a payout' }),
  paid_out: Money.openapi({ description: 'Sent by completed payouts' }),
})).openapi('HostBalance');

export const LedgerEntryOut = z.object({
  uuid: z.string().uuid(),
  kind: z.enum(LEDGER_KINDS),
  amount: SignedMoney,
  currency: z.enum(CURRENCIES),
  order: z.object({ uuid: z.string().uuid(), order_reference: z.string() }).nullable(),
  event: z.object({ uuid: z.string().uuid(), slug: z.string(), title: z.string() }).nullable(),
  reason: z.string().nullable().openapi({ description: 'Why staff adjusted the balance (adjustments, failed payouts)' }),
  created_at: z.string().datetime({ offset: true }),
}).openapi('LedgerEntry');
export const LedgerPage = page(LedgerEntryOut).openapi('LedgerPage');

export const PayoutOut = z.object({
  uuid: z.string().uuid(),
  amount: Money,
  currency: z.enum(CURRENCIES),
  status: z.enum(PAYOUT_STATUSES),
  created_at: z.string().datetime({ offset: true }),
  completed_at: z.string().datetime({ offset: true }).nullable(),
}).openapi('Payout');
export const PayoutPage = page(PayoutOut).openapi('PayoutPage');

export const ListQuery = PageQuery;

export const PayoutAccountBody = z.object({
  account_holder: z.string().trim().min(2).max(100),
  account_number: z.string().trim().regex(/^\d(?:[\s-]?\d){5,33}$/, 'must be 6 to 34 digits'),
  ifsc: z.string().trim().regex(/^[A-Za-z]{4}0[A-Za-z0-9]{6}$/, 'must be an 11-character IFSC code like HDFC0001234'),
}).openapi('PayoutAccountInput');

export const PayoutAccountOut = z.object({
  account_holder: z.string(),
  account_number_last4: z.string(),
  ifsc: z.string(),
}).openapi('PayoutAccount');

export const EventParams = z.object({ event: z.string().min(1).max(200).openapi({ description: 'Event uuid or slug' }) });
