import { QueryTypes } from 'sequelize';
import { sequelize } from '../../db/connection.js';
import { formatSigned, signedToMinor } from './amounts.js';

/**
 * Per-event settlement, straight from the ledger: gross sales, refunds, chargebacks, fees,
 * adjustments, net (all but payouts), what completed payouts sent, what is in an open payout, and
 * what is still unpaid. Payout entries carry the event they drew from, so "paid out" is per event;
 * a failed payout's entries and their reversals cancel out.
 */
export interface SettlementFilter { hostId?: number; eventId?: number; limit?: number }

const COLUMNS = ['gross', 'refunds', 'chargebacks', 'fees', 'adjustments', 'net', 'paid_out', 'in_payout', 'unpaid'] as const;
type Column = (typeof COLUMNS)[number];

export async function settlementReport(filter: SettlementFilter = {}) {
  const where = ['le.event_id IS NOT NULL'];
  if (filter.hostId) where.push('le.host_id = :hostId');
  if (filter.eventId) where.push('le.event_id = :eventId');
  const rows = await sequelize().query<Record<Column, string | null> & {
    event_id: number; uuid: string; title: string; end_time: Date; host_id: number; currency: string;
  }>(
    `SELECT le.event_id, ev.uuid, ev.title, ev.end_time, le.host_id, le.currency,
            SUM(le.amount) FILTER (WHERE le.kind = 'sale')::text AS gross,
            (-SUM(le.amount) FILTER (WHERE le.kind = 'refund'))::text AS refunds,
            (-SUM(le.amount) FILTER (WHERE le.kind = 'chargeback'))::text AS chargebacks,
            (-SUM(le.amount) FILTER (WHERE le.kind = 'fee'))::text AS fees,
            SUM(le.amount) FILTER (WHERE le.kind = 'adjustment')::text AS adjustments,
            SUM(le.amount) FILTER (WHERE le.kind <> 'payout')::text AS net,
            (-SUM(le.amount) FILTER (WHERE le.kind = 'payout' AND p.status = 'completed'))::text AS paid_out,
            (-SUM(le.amount) FILTER (WHERE le.kind = 'payout' AND p.status IN ('pending', 'approved', 'processing')))::text AS in_payout,
            SUM(le.amount)::text AS unpaid
       FROM ledger_entry le
       JOIN event ev ON ev.id = le.event_id
       LEFT JOIN payout p ON p.id = le.payout_id
      WHERE ${where.join(' AND ')}
      GROUP BY le.event_id, ev.uuid, ev.title, ev.end_time, le.host_id, le.currency
      ORDER BY le.event_id DESC, le.currency
      LIMIT :limit`,
    { replacements: { hostId: filter.hostId, eventId: filter.eventId, limit: filter.limit ?? 100 }, type: QueryTypes.SELECT },
  );
  return rows.map((r) => ({
    event: { id: Number(r.event_id), uuid: r.uuid, title: r.title, end_time: new Date(r.end_time).toISOString() },
    host_id: Number(r.host_id),
    currency: r.currency,
    ...Object.fromEntries(COLUMNS.map((c) => [c, formatSigned(signedToMinor(r[c] ?? '0'))])) as Record<Column, string>,
  }));
}
