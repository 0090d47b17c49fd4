import crypto from 'node:crypto';
import { QueryTypes } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { toMinor } from '../../lib/money.js';
import { Event, type LedgerKind, type PaymentOrder, type PaymentTransaction } from '../../models/index.js';
import { formatSigned } from './amounts.js';

/**
 * The one writer of LEDGER_ENTRY. Payment commands call `recordMoneyEvent` inside their own
 * transaction, so an order is paid, refunded or charged back together with its ledger entries or
 * not at all. Every entry has a natural key: a redelivered webhook or a retried command books
 * nothing twice (ON CONFLICT DO NOTHING), and the table itself refuses UPDATE and DELETE.
 */
export type MoneyEvent =
  /** An order was paid: + the order amount (sale) and − the platform fee snapshotted on the order. */
  | { type: 'sale'; order: PaymentOrder; fee: string | number }
  /** Money went back to the buyer (partial or full): − the transaction amount. */
  | { type: 'refund'; order: PaymentOrder; transaction: PaymentTransaction }
  /** The buyer's bank reversed the payment: − the transaction amount. */
  | { type: 'chargeback'; order: PaymentOrder; transaction: PaymentTransaction };

export interface EntryInput {
  hostId: number;
  kind: LedgerKind;
  /** Signed, integer minor units. */
  amountMinor: number;
  currency: string;
  key: string;
  eventId?: number | null;
  orderId?: number | null;
  transactionId?: number | null;
  payoutId?: number | null;
  reversesId?: number | null;
  reason?: string | null;
  createdById?: number | null;
}

/** Books the ledger entries of one money event; returns the ids written (none when already booked). */
export async function recordMoneyEvent(ctx: Context, event: MoneyEvent): Promise<number[]> {
  const tx = requireTransaction(ctx);
  const { order } = event;
  const host = await Event.findByPk(order.event_id, { attributes: ['id', 'host_id'], transaction: tx });
  if (!host) throw new Error(`order ${order.id} has no event`);
  const base = { hostId: host.host_id, currency: order.currency, eventId: order.event_id, orderId: order.id };
  const written: (number | null)[] = [];
  if (event.type === 'sale') {
    for (const e of saleEntries(order, host.host_id, event.fee)) written.push(await writeEntry(ctx, e));
  } else {
    const t = event.transaction;
    if (t.payment_order_id !== order.id) throw new Error(`transaction ${t.id} is not of order ${order.id}`);
    written.push(await writeEntry(ctx, {
      ...base, kind: event.type, amountMinor: -toMinor(t.amount), transactionId: t.id, key: `transaction:${t.id}:${event.type}`,
    }));
  }
  return written.filter((id): id is number => id !== null);
}

/**
 * The entries of a sale of `order` for its event's host: + the order amount and, when there is a
 * fee, − the platform fee. recordMoneyEvent books them; fulfilment writes them in its one statement.
 */
export function saleEntries(order: PaymentOrder, hostId: number, fee: string | number): EntryInput[] {
  const base = { hostId, currency: order.currency, eventId: order.event_id, orderId: order.id };
  const feeMinor = typeof fee === 'number' ? fee : toMinor(fee, 'fee');
  const sale: EntryInput = { ...base, kind: 'sale', amountMinor: toMinor(order.amount), key: `order:${order.id}:sale` };
  return feeMinor > 0 ? [sale, { ...base, kind: 'fee', amountMinor: -feeMinor, key: `order:${order.id}:fee` }] : [sale];
}

/** The LEDGER_ENTRY row of one entry, as JSON for ledgerInsertSql (writeEntry and multi-table statements). */
export function entryRow(ctx: Context, e: EntryInput) {
  if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0) throw new Error(`invalid ledger amount ${e.amountMinor}`);
  const now = ctx.now();
  return {
    uuid: crypto.randomUUID(), host_id: e.hostId, kind: e.kind, amount: formatSigned(e.amountMinor), currency: e.currency,
    event_id: e.eventId ?? null, payment_order_id: e.orderId ?? null, payment_transaction_id: e.transactionId ?? null,
    payout_id: e.payoutId ?? null, reverses_id: e.reversesId ?? null, entry_key: e.key, reason: e.reason ?? null,
    created_by_id: e.createdById ?? null, created_at: now, updated_at: now,
  };
}

/** The INSERT of entryRow() rows given as a JSON array (`rows`: an SQL jsonb expression); a key already booked is skipped. */
export const ledgerInsertSql = (rows: string): string => `
  INSERT INTO ledger_entry (uuid, host_id, kind, amount, currency, event_id, payment_order_id, payment_transaction_id,
    payout_id, reverses_id, entry_key, reason, created_by_id, created_at, updated_at)
  SELECT uuid, host_id, kind, amount, currency, event_id, payment_order_id, payment_transaction_id,
         payout_id, reverses_id, entry_key, reason, created_by_id, created_at, updated_at
    FROM jsonb_populate_recordset(NULL::ledger_entry, ${rows})
  ON CONFLICT (entry_key) DO NOTHING`;

/**
 * Appends one entry in the caller's transaction; null when an entry with the same key exists.
 * Used by recordMoneyEvent and by this domain's payout and adjustment commands.
 */
export async function writeEntry(ctx: Context, e: EntryInput): Promise<number | null> {
  const tx = requireTransaction(ctx);
  const rows = await sequelize().query<{ id: number }>(`${ledgerInsertSql('CAST(:rows AS jsonb)')} RETURNING id`, {
    replacements: { rows: JSON.stringify([entryRow(ctx, e)]) }, type: QueryTypes.SELECT, transaction: tx,
  });
  return rows[0] ? Number(rows[0].id) : null;
}

function requireTransaction(ctx: Context) {
  if (!ctx.transaction) throw new Error('ledger entries must be written inside the money event\'s transaction');
  return ctx.transaction;
}
