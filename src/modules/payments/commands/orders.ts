import crypto from 'node:crypto';
import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { config } from '../../../config.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { Conflict, NotFound, ServiceUnavailable, ValidationFailed } from '../../../lib/errors.js';
import { logger } from '../../../lib/logger.js';
import { fromMinor, toMinor } from '../../../lib/money.js';
import { isUuid } from '../../../lib/uuid.js';
import { CapacityReservation, CURRENCIES, Event, PaymentOrder, type Currency, type PaymentOrderStatus } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { closedReason } from '../../joining/rules.js';
import { admitFromWaitlist, admitIfHoldsExpired } from '../../joining/commands/index.js';
import { orderSnapshot } from '../fees.js';
import { authorizeCancel, authorizeView, requireActor } from '../policy.js';
import { providerAdapter, type OrderForProvider } from '../providers/index.js';

/*
 * Orders: placed by the holder of a live seat hold, priced by the server from the event's ticket
 * price and the held seats, with the fee snapshot frozen on the row. One open order per hold (a
 * unique index; the hold row lock makes the second caller find the first order). An order past
 * expires_at is treated as expired at once, before the expiry job records it.
 */
export const OPEN_STATUSES = ['created', 'pending'] as const;
export const PAID_STATUSES = ['paid', 'completed'] as const;

/**
 * The order row lock of the webhook paths. FOR NO KEY UPDATE, not FOR UPDATE: the stored delivery's
 * foreign key already holds KEY SHARE on the order, and FOR UPDATE made two deliveries about one
 * order (intent + session, two dispute events) deadlock against each other's KEY SHARE.
 */
export const orderRowLock = (tx: Transaction) => tx.LOCK.NO_KEY_UPDATE;

export const isOpen = (o: Pick<PaymentOrder, 'status'>) => (OPEN_STATUSES as readonly string[]).includes(o.status);
export const isExpired = (o: Pick<PaymentOrder, 'status' | 'expires_at'>, now: Date) =>
  isOpen(o) && o.expires_at.getTime() <= now.getTime();

export interface PlacedOrder {
  order: PaymentOrder;
  /** false: the open order of this hold already existed (200 instead of 201). */
  created: boolean;
}

/** What a provider is told about an order. */
export function forProvider(order: PaymentOrder, eventTitle?: string): OrderForProvider {
  return {
    order_id: order.order_id, order_reference: order.order_reference, amountMinor: toMinor(order.amount), currency: order.currency,
    provider_payment_id: order.provider_payment_id ?? null, provider_response: order.provider_response ?? {},
    description: `${order.order_reference}${eventTitle ? ` — ${eventTitle}` : ''}`.slice(0, 200),
  };
}

async function nextReference(now: Date, tx: Transaction): Promise<string> {
  const [row] = await sequelize().query<{ n: string }>("SELECT nextval('payment_order_reference_seq')::text AS n", {
    transaction: tx, type: QueryTypes.SELECT,
  });
  return `LP-${now.getUTCFullYear()}-${row!.n.padStart(6, '0')}`;
}

/** POST /payments/orders. */
export async function placeOrder(
  ctx: Context, input: { eventRef: string; reservationKey: string; provider: string },
): Promise<PlacedOrder> {
  const actor = requireActor(ctx.actor);
  const cfg = config();
  const adapter = providerAdapter(input.provider);
  if (!adapter || !adapter.enabled(cfg)) throw ValidationFailed.field('provider', `${input.provider} is not configured (provider not enabled)`);
  const currency = cfg.CURRENCY as Currency;
  if (!CURRENCIES.includes(currency)) throw new ServiceUnavailable(`Configured CURRENCY ${cfg.CURRENCY} is not supported`);

  let eventId: number | undefined;
  const placed = await withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const event = await findEventByRef(input.eventRef, { transaction: tx });
    eventId = event.id;
    const hold = isUuid(input.reservationKey)
      ? await CapacityReservation.findOne({
        where: { reservation_key: input.reservationKey.toLowerCase(), event_id: event.id }, lock: tx.LOCK.UPDATE, transaction: tx,
      })
      : null;
    if (!hold || hold.user_id !== actor.id) throw new NotFound('Reservation');

    const open = await PaymentOrder.findOne({
      where: { reservation_id: hold.id, status: { [Op.in]: [...OPEN_STATUSES] } }, transaction: tx,
    });
    if (open && !isExpired(open, now)) return { order: open, created: false };
    if (hold.consumed) throw new Conflict('Reservation was already paid for');
    if (hold.released_at || hold.expires_at.getTime() <= now.getTime() || open) throw new Conflict('Reservation has expired');
    const closed = closedReason(event, now);
    if (closed) throw new Conflict(closed);
    if (!event.is_paid) throw new Conflict('Event is free');

    const snap = orderSnapshot(event.ticket_price, hold.seats_reserved, { percent: cfg.PLATFORM_FEE_PERCENT, fixed: cfg.PLATFORM_FEE_FIXED });
    // Offline money takes longer: the hold is kept as long as the order (never past the start).
    const expiresAt = adapter.orderHours
      ? new Date(Math.min(now.getTime() + adapter.orderHours(cfg) * 3600_000, event.start_time.getTime()))
      : hold.expires_at;
    if (expiresAt.getTime() !== hold.expires_at.getTime()) {
      await CapacityReservation.update({ expires_at: expiresAt }, { where: { id: hold.id, consumed: false, released_at: null }, transaction: tx });
    }
    const order = await PaymentOrder.create({
      event_id: event.id, user_id: actor.id, reservation_id: hold.id,
      order_reference: await nextReference(now, tx), order_id: `ord_${crypto.randomBytes(12).toString('hex')}`,
      amount: fromMinor(snap.amountMinor), currency, status: adapter.offline ? 'pending' : 'created',
      payment_provider: adapter.name, payment_method: adapter.defaultMethod, expires_at: expiresAt,
      unit_price: fromMinor(snap.unitMinor), seats: snap.seats, platform_fee: fromMinor(snap.feeMinor),
      host_share: fromMinor(snap.hostShareMinor), fee_percent: snap.feePercent, fee_fixed: snap.feeFixed,
    }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'payments.order.place', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
      newValues: {
        order_reference: order.order_reference, amount: order.amount, currency, provider: adapter.name, seats: snap.seats,
        unit_price: order.unit_price, platform_fee: order.platform_fee, host_share: order.host_share, expires_at: expiresAt.toISOString(),
      },
      payload: { reservation_key: hold.reservation_key, event_uuid: event.uuid },
    });
    order.event = event;
    return { order, created: true };
  }).catch(async (err: unknown) => {
    // This read noticed an expired hold: its seats go to the waitlist now, not at the next sweep.
    if (err instanceof Conflict && err.message === 'Reservation has expired' && eventId !== undefined) await admitIfHoldsExpired(ctx, eventId);
    throw err;
  });
  await ensureClient(placed.order);
  return placed;
}

/**
 * The app's `client` data, made once per order after the order is committed (a provider call never
 * runs inside a transaction) and stored on it, so the second call for the hold returns the same.
 * A provider that fails leaves the order without client (503); asking again retries.
 */
async function ensureClient(order: PaymentOrder): Promise<void> {
  if (order.provider_response && 'client' in order.provider_response) return;
  const adapter = providerAdapter(order.payment_provider)!;
  let made;
  try {
    const event = order.event ?? (await Event.findByPk(order.event_id));
    made = await adapter.createClient(config(), forProvider(order, event?.title));
  } catch (err) {
    logger.warn({ err, order: order.uuid, provider: order.payment_provider }, 'payment provider refused to create the order');
    throw new ServiceUnavailable(`${order.payment_provider} did not answer; try again`);
  }
  if (!made) return;
  const response = { ...(order.provider_response ?? {}), ...(made.remember ?? {}), client: made.client };
  await PaymentOrder.update(
    { provider_response: response, ...(made.providerPaymentId ? { provider_payment_id: made.providerPaymentId } : {}) },
    { where: { id: order.id } },
  );
  order.provider_response = response;
  if (made.providerPaymentId) order.provider_payment_id = made.providerPaymentId;
}

/** The order (with its event) by uuid, or 404. `lock`: FOR UPDATE on the order row. */
export async function findOrder(uuid: string, tx?: Transaction, lock = false): Promise<{ order: PaymentOrder; event: Event }> {
  const order = isUuid(uuid)
    ? await PaymentOrder.findOne({ where: { uuid: uuid.toLowerCase() }, transaction: tx, ...(lock && tx ? { lock: tx.LOCK.UPDATE } : {}) })
    : null;
  const event = order ? await Event.findByPk(order.event_id, { transaction: tx }) : null;
  if (!order || !event) throw new NotFound('Order');
  order.event = event;
  return { order, event };
}

/** GET /payments/orders/{uuid}: buyer, host, staff. */
export async function getOrder(ctx: Context, uuid: string): Promise<PaymentOrder> {
  const { order, event } = await findOrder(uuid);
  authorizeView(ctx.actor, order, event);
  return order;
}

/** GET /payments/orders: mine, newest first, keyset on id. */
export async function listMyOrders(ctx: Context, q: { cursor?: string; pageSize: number; status?: PaymentOrderStatus }) {
  const actor = requireActor(ctx.actor);
  const after = decodeCursor(q.cursor, 1);
  if (after && (typeof after[0] !== 'number' || !Number.isSafeInteger(after[0]))) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  const rows = await PaymentOrder.findAll({
    where: { user_id: actor.id, ...(q.status ? { status: q.status } : {}), ...(after ? { id: { [Op.lt]: after[0] as number } } : {}) },
    include: [{ model: Event, as: 'event', attributes: ['id', 'uuid', 'slug', 'title', 'host_id'] }],
    order: [['id', 'DESC']], limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf: (o: PaymentOrder) => encodeCursor([o.id]) };
}

/** Gives an order's hold back (not when already consumed or released); the event's waitlist gets the seats in this transaction. */
export async function releaseHoldOf(ctx: Context, order: PaymentOrder, now: Date): Promise<number> {
  if (!order.reservation_id) return 0;
  const [n] = await CapacityReservation.update({ released_at: now }, {
    where: { id: order.reservation_id, consumed: false, released_at: null }, transaction: ctx.transaction,
  });
  if (n) await admitFromWaitlist(ctx, order.event_id);
  return n;
}

/** POST /payments/orders/{uuid}/cancel: the buyer, while unpaid → cancelled, hold released. */
export async function cancelOrder(ctx: Context, uuid: string): Promise<PaymentOrder> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const { order, event } = await findOrder(uuid, tx, true);
    authorizeCancel(ctx.actor, order, event);
    if (!isOpen(order)) throw new Conflict(`Order is ${order.status}`);
    const before = order.status;
    await order.update({ status: 'cancelled', failure_reason: isExpired(order, now) ? 'expired' : 'cancelled by the buyer' }, { transaction: tx });
    const released = await releaseHoldOf(ctx, order, now);
    await audit(ctx, {
      action: 'update', command: 'payments.order.cancel', object: { type: 'payment_order', id: order.id, uuid: order.uuid },
      oldValues: { status: before }, newValues: { status: 'cancelled', failure_reason: order.failure_reason, hold_released: released > 0 },
    });
    return order;
  });
}

/** Pending refund sums of these orders (for presenting `refund_pending`), in one query. */
export async function pendingRefundsOf(orderIds: number[]): Promise<Map<number, string>> {
  if (!orderIds.length) return new Map();
  const rows = await sequelize().query<{ id: string; total: string }>(
    `SELECT payment_order_id::text AS id, SUM(amount)::text AS total FROM payment_transaction
      WHERE payment_order_id IN (:ids) AND transaction_type = 'refund' AND status = 'pending' GROUP BY payment_order_id`,
    { replacements: { ids: orderIds }, type: QueryTypes.SELECT },
  );
  return new Map(rows.map((r) => [Number(r.id), r.total]));
}
