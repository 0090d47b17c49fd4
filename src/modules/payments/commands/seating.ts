import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { fromMinor, toMinor } from '../../../lib/money.js';
import { AttendanceRecord, CapacityReservation, EventAttendee, type Event, type PaymentOrder } from '../../../models/index.js';
import { admit } from '../../joining/commands/attendees.js';
import { claimSeats } from '../../joining/commands/capacity.js';

/**
 * Seats the buyer of a confirmed order through joining's seating path, inside the caller's
 * transaction under a savepoint: a refusal (Conflict: full, closed, already attending) rolls back
 * only the seating and the caller refunds. The order's hold is consumed when still live; a dead
 * hold (expired, released) no longer counts, so the claim then needs the seats to be free.
 */
export async function seatBuyer(
  ctx: Context, o: { order: PaymentOrder; event: Event; reservation: CapacityReservation | null },
): Promise<{ attendee: EventAttendee; ticket: AttendanceRecord }> {
  const seats = o.reservation?.seats_reserved ?? o.order.seats ?? 1;
  return sequelize().transaction({ transaction: ctx.transaction! }, async (sp) => {
    const inner = { ...ctx, transaction: sp };
    if (o.reservation) {
      await CapacityReservation.update({ consumed: true }, {
        where: { id: o.reservation.id, consumed: false, released_at: null }, transaction: sp,
      });
    }
    const attendee = await admit(inner, sp, {
      event: o.event, userId: o.order.user_id, seats, requestId: o.reservation?.request_id ?? null,
      paid: { pricePaid: o.order.amount },
    });
    await EventAttendee.update({ platform_fee: fromMinor(toMinor(o.order.platform_fee ?? '0')) }, { where: { id: attendee.id }, transaction: sp });
    await AttendanceRecord.update({ payment_order_id: o.order.id }, { where: { attendee_id: attendee.id }, transaction: sp });
    await claimSeats(inner, sp, { eventId: o.event.id, going: seats });
    const ticket = await AttendanceRecord.findOne({ where: { attendee_id: attendee.id }, transaction: sp });
    return { attendee, ticket: ticket! };
  });
}
