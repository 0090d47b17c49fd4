import { QueryTypes, type Transaction } from 'sequelize';
import { config } from '../../config.js';
import { sequelize } from '../../db/connection.js';
import { DAY } from '../../lib/clock.js';
import { formatSigned, signedToMinor } from './amounts.js';

/**
 * A host's balance is derived from ledger entries, never stored. An entry tied to an event is
 * pending until that event ended BALANCE_HOLD_DAYS ago (refunds and chargebacks arrive around the
 * event), then available; entries without an event (adjustments) are available at once. Payout
 * entries take money out of available when the payout is created; a failed payout's reversal puts
 * it back. paid_out is what completed payouts sent.
 */
export interface Balance { currency: string; pendingMinor: number; availableMinor: number; paidOutMinor: number }

/** The instant before which an event's end makes its entries available. */
export const clearedBefore = (now: Date): Date => new Date(now.getTime() - config().BALANCE_HOLD_DAYS * DAY);

/** SQL predicate: the entry `le` (joined to its event `ev`) is available. */
export const CLEARED = '(le.event_id IS NULL OR ev.end_time <= :cutoff)';

export async function hostBalances(hostId: number, now: Date, tx?: Transaction): Promise<Balance[]> {
  const rows = await sequelize().query<{ currency: string; pending: string | null; available: string | null; paid_out: string | null }>(
    `WITH sums AS (
       SELECT le.currency,
              SUM(le.amount) FILTER (WHERE NOT ${CLEARED}) AS pending,
              SUM(le.amount) FILTER (WHERE ${CLEARED}) AS available
         FROM ledger_entry le LEFT JOIN event ev ON ev.id = le.event_id
        WHERE le.host_id = :hostId GROUP BY le.currency),
     paid AS (
       SELECT currency, SUM(amount) AS paid_out FROM payout WHERE host_id = :hostId AND status = 'completed' GROUP BY currency)
     SELECT COALESCE(s.currency, p.currency) AS currency, s.pending::text, s.available::text, p.paid_out::text
       FROM sums s FULL JOIN paid p ON p.currency = s.currency
      ORDER BY 1`,
    { replacements: { hostId, cutoff: clearedBefore(now) }, type: QueryTypes.SELECT, transaction: tx },
  );
  return rows.map((r) => ({
    currency: r.currency,
    pendingMinor: signedToMinor(r.pending ?? '0'),
    availableMinor: signedToMinor(r.available ?? '0'),
    paidOutMinor: signedToMinor(r.paid_out ?? '0'),
  }));
}

/** Available money of one host and currency, per event (null: entries without an event). */
export async function availableByEvent(hostId: number, currency: string, now: Date, tx: Transaction) {
  const rows = await sequelize().query<{ event_id: number | null; amount: string }>(
    `SELECT le.event_id, SUM(le.amount)::text AS amount
       FROM ledger_entry le LEFT JOIN event ev ON ev.id = le.event_id
      WHERE le.host_id = :hostId AND le.currency = :currency AND ${CLEARED}
      GROUP BY le.event_id HAVING SUM(le.amount) <> 0
      ORDER BY le.event_id NULLS FIRST`,
    { replacements: { hostId, currency, cutoff: clearedBefore(now) }, type: QueryTypes.SELECT, transaction: tx },
  );
  return rows.map((r) => ({ eventId: r.event_id === null ? null : Number(r.event_id), amountMinor: signedToMinor(r.amount) }));
}

export const presentBalance = (b: Balance) => ({
  currency: b.currency,
  pending: formatSigned(b.pendingMinor),
  available: formatSigned(b.availableMinor),
  paid_out: formatSigned(b.paidOutMinor),
});
