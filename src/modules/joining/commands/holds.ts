import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { CapacityReservation } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { joiningRules, requireActor } from '../policy.js';
import { OPEN_HOLD } from '../rules.js';
import { admitFromWaitlist } from './waitlist.js';
import { releaseDueHolds } from './expired-holds.js';

/*
 * Giving held seats back needs no event lock: fewer held seats never oversell. Expired holds stop
 * counting at read time (docs/decisions/0420-capacity-claim.md); releasing or sweeping them admits
 * from the event's waitlist in the same transaction (1000-waitlist-admission.md).
 */

/** Staff (AdminJS "Release hold") or the holder gives a live hold back now. */
export async function releaseReservation(ctx: Context, input: { reservationKey: string }): Promise<CapacityReservation> {
  return withTransaction(ctx, async (tx, ctx) => {
    const actor = requireActor(ctx.actor);
    const hold = isUuid(input.reservationKey)
      ? await CapacityReservation.findOne({ where: { reservation_key: input.reservationKey }, transaction: tx })
      : null;
    if (!hold || !joiningRules.can(actor, 'releaseHold', { ownerId: hold.user_id })) throw new NotFound('Reservation');
    const now = ctx.now();
    const [changed] = await CapacityReservation.update({ released_at: now }, {
      where: { id: hold.id, ...OPEN_HOLD }, transaction: tx,
    });
    if (!changed) throw new Conflict(hold.consumed ? 'Reservation was already paid for' : 'Reservation was already released');
    await audit(ctx, {
      action: 'update', command: 'joining.reservation.release', object: { type: 'capacity_reservation', id: hold.id, uuid: hold.reservation_key },
      oldValues: { released_at: null }, newValues: { released_at: now.toISOString(), seats: hold.seats_reserved }, userId: hold.user_id,
    });
    await admitFromWaitlist(ctx, hold.event_id);
    return hold.reload({ transaction: tx });
  });
}

/**
 * Job: marks holds past expires_at as released (batch), one audit row per batch, then admits from
 * the waitlists of their events (in event id order, so concurrent sweeps lock events alike). Idempotent.
 */
export async function expireHolds(ctx: Context, { batchSize = 1000 } = {}): Promise<{ released: number }> {
  return withTransaction(ctx, async (_tx, ctx) => {
    const due = await releaseDueHolds(ctx, { limit: batchSize });
    if (!due.length) return { released: 0 };
    for (const eventId of [...new Set(due.map((r) => Number(r.event_id)))].sort((a, b) => a - b)) {
      await admitFromWaitlist(ctx, eventId);
    }
    return { released: due.length };
  });
}
