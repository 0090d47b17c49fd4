import type { Writable } from 'node:stream';
import type { Context } from '../../context.js';
import { formatMoney } from '../../lib/money.js';
import { findEventByRef } from '../events/lookup.js';
import { authorizeEventWrite } from '../events/policy.js';
import { batches, writeCsv, type CsvColumn } from './csv.js';
import { requireActor } from './policy.js';

/**
 * The host's CSV exports of one event (API.md "Host money"): attendees and orders, streamed in
 * keyset batches. Host or staff only; others get 403 if they can see the event, 404 if not.
 */
interface AttendeeRow {
  id: string; uuid: string; name: string | null; seats: number; status: string; ticket_type: string;
  is_paid: boolean; price_paid: string; checked_in_at: Date | null; created_at: Date;
}
export const ATTENDEE_COLUMNS: CsvColumn<AttendeeRow>[] = [
  { header: 'attendee_uuid', value: (r) => r.uuid },
  { header: 'name', value: (r) => r.name },
  { header: 'seats', value: (r) => r.seats },
  { header: 'status', value: (r) => r.status },
  { header: 'ticket_type', value: (r) => r.ticket_type },
  { header: 'paid', value: (r) => r.is_paid },
  { header: 'price_paid', value: (r) => formatMoney(r.price_paid) },
  { header: 'checked_in_at', value: (r) => r.checked_in_at },
  { header: 'created_at', value: (r) => r.created_at },
];
const ATTENDEES_SQL = `
  SELECT a.id, a.uuid, p.name, a.seats, a.status, a.ticket_type, a.is_paid, a.price_paid::text AS price_paid,
         a.checked_in_at, a.created_at
    FROM event_attendee a LEFT JOIN user_profile p ON p.user_id = a.user_id
   WHERE a.event_id = :eventId AND a.id > :after ORDER BY a.id LIMIT :limit`;

interface OrderRow {
  id: string; uuid: string; order_reference: string; buyer: string | null; amount: string; refund_amount: string;
  currency: string; status: string; payment_provider: string; payment_method: string | null; created_at: Date; refunded_at: Date | null;
}
export const ORDER_COLUMNS: CsvColumn<OrderRow>[] = [
  { header: 'order_uuid', value: (r) => r.uuid },
  { header: 'order_reference', value: (r) => r.order_reference },
  { header: 'buyer', value: (r) => r.buyer },
  { header: 'amount', value: (r) => formatMoney(r.amount) },
  { header: 'refund_amount', value: (r) => formatMoney(r.refund_amount) },
  { header: 'currency', value: (r) => r.currency },
  { header: 'status', value: (r) => r.status },
  { header: 'provider', value: (r) => r.payment_provider },
  { header: 'payment_method', value: (r) => r.payment_method },
  { header: 'created_at', value: (r) => r.created_at },
  { header: 'refunded_at', value: (r) => r.refunded_at },
];
const ORDERS_SQL = `
  SELECT o.id, o.uuid, o.order_reference, p.name AS buyer, o.amount::text AS amount, o.refund_amount::text AS refund_amount,
         o.currency, o.status, o.payment_provider, o.payment_method, o.created_at, o.refunded_at
    FROM payment_order o LEFT JOIN user_profile p ON p.user_id = o.user_id
   WHERE o.event_id = :eventId AND o.id > :after ORDER BY o.id LIMIT :limit`;

export type EventExport = 'attendees' | 'orders';

/** Authorises first (so a refusal is a problem+json, not a half-written file), then returns the writer. */
export async function prepareEventExport(ctx: Context, eventRef: string, kind: EventExport) {
  requireActor(ctx.actor);
  const event = await findEventByRef(eventRef);
  await authorizeEventWrite(ctx.actor, event);
  const filename = `${event.slug || event.uuid}-${kind}.csv`;
  const write = (out: Writable) => (kind === 'attendees'
    ? writeCsv(out, ATTENDEE_COLUMNS, batches<AttendeeRow>(ATTENDEES_SQL, { eventId: event.id }))
    : writeCsv(out, ORDER_COLUMNS, batches<OrderRow>(ORDERS_SQL, { eventId: event.id })));
  return { filename, write };
}
