import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { CapacityReservation } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { requireActor } from '../policy.js';
import { isStaff } from '../../../context.js';
import { OPEN_HOLD } from '../rules.js';

/*
 * Giving held seats back. Expired holds already stop counting at read time (claimSeats compares
 * expires_at with the clock), so the sweeper only records what happened; releasing early frees the
 * seats at once. Neither needs the event lock: fewer held seats can never oversell.
 */

/** Staff (AdminJS "Release hold") or the holder gives a live hold back now. */
export async function releaseReservation(ctx: Context, input: { reservationKey: string }): Promise<CapacityReservation> {
  return withTransaction(ctx, async (tx, ctx) => {
    const actor = requireActor(ctx.actor);
    const hold = isUuid(input.reservationKey)
      ? await CapacityReservation.findOne({ where: { reservation_key: input.reservationKey }, transaction: tx })
      : null;
    if (!hold || (hold.user_id !== actor.id && !isStaff(actor))) throw new NotFound('Reservation');
    const now = ctx.now();
    const [changed] = await CapacityReservation.update({ released_at: now }, {
      where: { id: hold.id, ...OPEN_HOLD }, transaction: tx,
    });
    if (!changed) throw new Conflict(hold.consumed ? 'Reservation was already paid for' : 'Reservation was already released');
    await audit(ctx, {
      action: 'update', command: 'joining.reservation.release', object: { type: 'capacity_reservation', id: hold.id, uuid: hold.reservation_key },
      oldValues: { released_at: null }, newValues: { released_at: now.toISOString(), seats: hold.seats_reserved }, userId: hold.user_id,
    });
    return hold.reload({ transaction: tx });
  });
}

/** Job: marks holds past expires_at as released (batch), one audit row per batch. Idempotent. */
export async function expireHolds(ctx: Context, { batchSize = 1000 } = {}): Promise<{ released: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const due = await CapacityReservation.findAll({
      where: { ...OPEN_HOLD, expires_at: { [Op.lte]: now } },
      attributes: ['id', 'reservation_key'], limit: batchSize, order: [['expires_at', 'ASC']], transaction: tx, lock: tx.LOCK.UPDATE, skipLocked: true,
    });
    if (!due.length) return { released: 0 };
    await CapacityReservation.update({ released_at: now }, { where: { id: due.map((r) => r.id), ...OPEN_HOLD }, transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'joining.reservation.expire', object: { type: 'capacity_reservation' },
      newValues: { released_at: now.toISOString() }, payload: { reservation_keys: due.map((r) => r.reservation_key) },
    });
    return { released: due.length };
  });
}
