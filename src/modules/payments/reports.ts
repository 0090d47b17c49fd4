import { QueryTypes } from 'sequelize';
import { sequelize } from '../../db/connection.js';

/** One event's money, as the panel's event page shows it. Decimal strings, summed in SQL as NUMERIC. */
export interface EventMoney {
  orders_paid: number;
  revenue: string;
  refunded: string;
  refunds_pending: string;
  platform_fees: string;
  host_share: string;
  net: string;
}

/**
 * revenue: completed payments; refunded: completed refunds; refunds_pending: decided, not yet
 * executed; fees and host share: the snapshots of orders still paid (a fully refunded order earns
 * neither); net: revenue − refunded − pending.
 */
export async function eventMoney(eventId: number): Promise<EventMoney> {
  const [row] = await sequelize().query<Record<string, string | number>>(`
    SELECT
      (SELECT COUNT(*) FROM payment_order WHERE event_id = :eventId AND status IN ('paid','completed'))::int AS orders_paid,
      COALESCE(SUM(t.amount) FILTER (WHERE t.transaction_type = 'payment' AND t.status = 'completed'), 0)::numeric(14,2)::text AS revenue,
      COALESCE(SUM(t.amount) FILTER (WHERE t.transaction_type = 'refund' AND t.status = 'completed'), 0)::numeric(14,2)::text AS refunded,
      COALESCE(SUM(t.amount) FILTER (WHERE t.transaction_type = 'refund' AND t.status = 'pending'), 0)::numeric(14,2)::text AS refunds_pending,
      (SELECT COALESCE(SUM(platform_fee), 0)::numeric(14,2)::text FROM payment_order WHERE event_id = :eventId AND status IN ('paid','completed')) AS platform_fees,
      (SELECT COALESCE(SUM(COALESCE(host_share, amount - platform_fee)), 0)::numeric(14,2)::text FROM payment_order
        WHERE event_id = :eventId AND status IN ('paid','completed')) AS host_share
    FROM payment_transaction t JOIN payment_order o ON o.id = t.payment_order_id
    WHERE o.event_id = :eventId`, { replacements: { eventId }, type: QueryTypes.SELECT });
  const r = row!;
  const [net] = await sequelize().query<{ net: string }>('SELECT (:rev::numeric - :ref::numeric - :pend::numeric)::numeric(14,2)::text AS net', {
    replacements: { rev: r.revenue, ref: r.refunded, pend: r.refunds_pending }, type: QueryTypes.SELECT,
  });
  return {
    orders_paid: Number(r.orders_paid), revenue: String(r.revenue), refunded: String(r.refunded), refunds_pending: String(r.refunds_pending),
    platform_fees: String(r.platform_fees), host_share: String(r.host_share), net: net!.net,
  };
}
