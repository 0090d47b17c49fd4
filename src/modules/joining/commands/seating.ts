import { QueryTypes, type Model, type ModelStatic, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { retrying } from '../../../db/transaction.js';
import { fromMinor } from '../../../lib/money.js';
import { AttendanceRecord, CapacityReservation, EventAttendee, type Event } from '../../../models/index.js';
import { mintTicketSecret } from '../../attendance/ticket-secret.js';
import { auditRow, sealWritten, type AuditEntry } from '../../audit/writer.js';
import { notificationRow, type NotificationInput } from '../../notifications/writer.js';
import { hostEventRow, type HostEventInput } from '../../webhooks/index.js';
import { claimRefusal, holdUntil, refusalsAsConflict } from './capacity.js';

/** What a seating gave: a going attendee and its ticket, or a hold (paid event, not paid yet). */
export interface Seating {
  attendee: EventAttendee | null;
  reservation: CapacityReservation | null;
  ticket: AttendanceRecord | null;
}

export interface SeatOrder {
  event: Pick<Event, 'id' | 'is_paid'>;
  userId: number;
  seats: number;
  /** Accepting this pending request: it leaves pending in the same SQL call (joining_accept_request). */
  acceptRequest?: { id: number; hostMessage?: string };
  requestId?: number | null;
  inviteId?: number | null;
  /** Paid fulfilment: this live hold is consumed and its holder admitted as paid by `order`. */
  paid?: { reservation: CapacityReservation; order: PaidOrder };
  notifications?: NotificationInput[];
  audit?: AuditEntry[];
  /** Host webhook events of this seating (emitHostEvent's rows, written by the same SQL call). */
  hostEvents?: HostEventInput[];
  /** When a hold taken here ends (default holdUntil(now)): given when a notification must name it. */
  holdUntil?: Date;
}

/** The order that paid for a hold; money in integer minor units. */
export interface PaidOrder { id: number; pricePaidMinor: number; platformFeeMinor: number }

/**
 * The one seating path (request, invite and share-link accept, paid fulfilment): one joining_seat call
 * — autocommit, or under a savepoint of ctx.transaction so a Conflict leaves it usable (docs/decisions/0424-one-seating-path.md).
 */
export async function seat(ctx: Context, o: SeatOrder): Promise<Seating> {
  const now = ctx.now();
  const holding = o.event.is_paid && !o.paid;
  const secret = holding ? null : mintTicketSecret();
  const requestId = o.acceptRequest?.id ?? o.requestId ?? o.paid?.reservation.request_id ?? null;
  const audits = [...(o.audit ?? [])];
  if (o.paid) audits.push(consumeAudit(o.paid.reservation, o.paid.order));
  const common = {
    eventId: o.event.id, seats: o.paid?.reservation.seats_reserved ?? o.seats, now,
    holdUntil: holding ? o.holdUntil ?? holdUntil(now) : null,
    salt: secret?.secret_salt ?? null, hash: secret?.secret_hash ?? null, lookup: secret?.secret_lookup ?? null,
    notifications: JSON.stringify((o.notifications ?? []).map((n) => notificationRow(ctx, n))),
    audit: JSON.stringify(audits.map((a) => auditRow(ctx, a))),
    hostEvents: JSON.stringify((o.hostEvents ?? []).map((h) => hostEventRow(ctx, h))),
    // Completed in SQL with the attendee's id, uuid and create/update once it exists.
    admitAudit: holding ? null : JSON.stringify(auditRow(ctx, admitAudit({ userId: o.userId, seats: o.seats, requestId, paid: o.paid?.order }))),
  };
  const [sql, bind] = o.acceptRequest
    ? [acceptSql(), { ...common, requestId: o.acceptRequest.id, hostMessage: o.acceptRequest.hostMessage ?? null }]
    : [seatSql(), {
      ...common, userId: o.userId, requestId, inviteId: o.inviteId ?? o.paid?.reservation.invite_id ?? null,
      reservationId: o.paid?.reservation.id ?? null, orderId: o.paid?.order.id ?? null,
      pricePaid: o.paid ? fromMinor(o.paid.order.pricePaidMinor) : null, platformFee: o.paid ? fromMinor(o.paid.order.platformFeeMinor) : null,
    }];
  const call = (transaction?: Transaction) => sequelize().query<Record<string, unknown>>(sql, { bind, transaction, type: QueryTypes.SELECT });
  const [row] = await refusalsAsConflict(
    () => (ctx.transaction ? sequelize().transaction({ transaction: ctx.transaction }, call) : retrying(call)),
    () => claimRefusal(o.event.id, now, ctx.transaction),
  );
  sealWritten(ctx);
  return {
    attendee: part(row!, 'a.', EventAttendee), ticket: part(row!, 't.', AttendanceRecord), reservation: part(row!, 'r.', CapacityReservation),
  };
}

/**
 * Paid fulfilment (payments, inside its transaction): the hold's holder becomes a going, paid attendee
 * with a ticket; a late payment is seated while seats are free. Conflict → refund: hold already paid
 * for or gone, event full or closed, holder already attending.
 */
export async function seatPaidHolder(
  ctx: Context, input: { reservation: CapacityReservation; order: PaidOrder },
): Promise<{ attendee: EventAttendee; ticket: AttendanceRecord; reservation: CapacityReservation }> {
  if (!ctx.transaction) throw new Error('seatPaidHolder() runs inside the caller\'s transaction');
  const { reservation, order } = input;
  const s = await seat(ctx, {
    event: { id: reservation.event_id, is_paid: true }, userId: reservation.user_id, seats: reservation.seats_reserved,
    paid: { reservation, order },
  });
  return { attendee: s.attendee!, ticket: s.ticket!, reservation: s.reservation! };
}

/** The audit entry of an admission (the attendee's id, uuid and action are filled in by joining_seat). */
export function admitAudit(o: { userId: number; seats: number; requestId: number | null; paid?: PaidOrder }): AuditEntry {
  const paid = o.paid ? { is_paid: true, price_paid: fromMinor(o.paid.pricePaidMinor), payment_order_id: o.paid.id } : {};
  return {
    action: 'create', command: 'joining.attendee.admit', object: { type: 'event_attendee' },
    newValues: { status: 'going', seats: o.seats, request_id: o.requestId, ...paid }, userId: o.userId,
  };
}

function consumeAudit(hold: CapacityReservation, order: PaidOrder): AuditEntry {
  return {
    action: 'update', command: 'joining.reservation.consume', object: { type: 'capacity_reservation', id: hold.id, uuid: hold.reservation_key },
    oldValues: { consumed: false }, newValues: { consumed: true, payment_order_id: order.id }, userId: hold.user_id,
  };
}

type Built = ModelStatic<Model>;

/** `(x.<out>).col AS "<prefix>col"` for every column: one row carries the three OUT records, typed by pg. */
const columnsOf = (out: string, prefix: string, model: Built) =>
  Object.keys(model.getAttributes()).map((c) => `(x.${out}).${c} AS "${prefix}${c}"`).join(', ');

let seatCall: string | undefined;
let acceptCall: string | undefined;
const outColumns = () => [columnsOf('attendee', 'a.', EventAttendee), columnsOf('ticket', 't.', AttendanceRecord),
  columnsOf('reservation', 'r.', CapacityReservation)].join(',\n  ');
const seatSql = () => (seatCall ??= `SELECT ${outColumns()}
  FROM joining_seat($eventId, $userId, $seats, $now, $requestId, $inviteId, 0, $holdUntil, $reservationId, $orderId, $pricePaid,
    $platformFee, $salt, $hash, $lookup, $notifications::jsonb, $audit::jsonb, $admitAudit::jsonb, $hostEvents::jsonb) x`);
const acceptSql = () => (acceptCall ??= `SELECT ${outColumns()}
  FROM joining_accept_request($requestId, $eventId, $seats, $hostMessage, $now, $holdUntil, $salt, $hash, $lookup,
    $notifications::jsonb, $audit::jsonb, $admitAudit::jsonb, $hostEvents::jsonb) x`);

function part<M extends Model>(row: Record<string, unknown>, prefix: string, model: ModelStatic<M>): M | null {
  if (row[`${prefix}id`] == null) return null;
  const values = Object.fromEntries(Object.keys(model.getAttributes()).map((c) => [c, row[`${prefix}${c}`]]));
  return model.build(values as never, { raw: true, isNewRecord: false });
}
