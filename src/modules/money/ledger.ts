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
    written.push(await writeEntry(ctx, { ...base, kind: 'sale', amountMinor: toMinor(order.amount), key: `order:${order.id}:sale` }));
    const fee = typeof event.fee === 'number' ? event.fee : toMinor(event.fee, 'fee');
    if (fee > 0) written.push(await writeEntry(ctx, { ...base, kind: 'fee', amountMinor: -fee, key: `order:${order.id}:fee` }));
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
 * Appends one entry in the caller's transaction; null when an entry with the same key exists.
 * Used by recordMoneyEvent and by this domain's payout and adjustment commands.
 */
export async function writeEntry(ctx: Context, e: EntryInput): Promise<number | null> {
  const tx = requireTransaction(ctx);
  if (!Number.isSafeInteger(e.amountMinor) || e.amountMinor === 0) throw new Error(`invalid ledger amount ${e.amountMinor}`);
  const now = ctx.now();
  const rows = await sequelize().query<{ id: number }>(
    `INSERT INTO ledger_entry (uuid, host_id, kind, amount, currency, event_id, payment_order_id, payment_transaction_id,
       payout_id, reverses_id, entry_key, reason, created_by_id, created_at, updated_at)
     VALUES (:uuid, :hostId, :kind, CAST(:amount AS numeric), :currency, :eventId, :orderId, :transactionId,
       :payoutId, :reversesId, :key, :reason, :createdById, :now, :now)
     ON CONFLICT (entry_key) DO NOTHING RETURNING id`,
    {
      replacements: {
        uuid: crypto.randomUUID(), hostId: e.hostId, kind: e.kind, amount: formatSigned(e.amountMinor), currency: e.currency,
        eventId: e.eventId ?? null, orderId: e.orderId ?? null, transactionId: e.transactionId ?? null,
        payoutId: e.payoutId ?? null, reversesId: e.reversesId ?? null, key: e.key, reason: e.reason ?? null,
        createdById: e.createdById ?? null, now,
      },
      type: QueryTypes.SELECT, transaction: tx,
    },
  );
  return rows[0] ? Number(rows[0].id) : null;
}

function requireTransaction(ctx: Context) {
  if (!ctx.transaction) throw new Error('ledger entries must be written inside the money event\'s transaction');
  return ctx.transaction;
}
