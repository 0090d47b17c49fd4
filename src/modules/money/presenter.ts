import type { z } from 'zod';
import { formatMoney } from '../../lib/money.js';
import type { LedgerEntry, Payout } from '../../models/index.js';
import type { LedgerEntryOut, PayoutOut } from './schema.js';

/** Model → public JSON; uuids only, ISO times, money as strings (ledger amounts signed). */
export const presentLedgerEntry = (e: LedgerEntry): z.infer<typeof LedgerEntryOut> => ({
  uuid: e.uuid,
  kind: e.kind,
  amount: formatSignedDecimal(e.amount),
  currency: e.currency as z.infer<typeof LedgerEntryOut>['currency'],
  order: e.order ? { uuid: e.order.uuid, order_reference: e.order.order_reference } : null,
  event: e.event ? { uuid: e.event.uuid, slug: e.event.slug, title: e.event.title } : null,
  reason: e.reason ?? null,
  created_at: e.created_at.toISOString(),
});

export const presentPayout = (p: Payout): z.infer<typeof PayoutOut> => ({
  uuid: p.uuid,
  amount: formatMoney(p.amount),
  currency: p.currency as z.infer<typeof PayoutOut>['currency'],
  status: p.status,
  created_at: p.created_at.toISOString(),
  completed_at: p.completed_at ? p.completed_at.toISOString() : null,
});

function formatSignedDecimal(value: string): string {
  const text = String(value);
  return text.startsWith('-') ? `-${formatMoney(text.slice(1))}` : formatMoney(text);
}
