import type { Context } from '../../../context.js';
import { Conflict } from '../../../lib/errors.js';
import { toMinor } from '../../../lib/money.js';
import type { AttendanceRecord, CapacityReservation, EventAttendee, PaymentOrder } from '../../../models/index.js';
import { seatPaidHolder } from '../../joining/commands/index.js';

/**
 * Seats the buyer of a confirmed order through joining's one seating path (joining_seat: hold
 * consumed, paid attendee, ticket with its TICKET_SECRET, capacity claimed last), inside the
 * caller's transaction; a refusal (Conflict: full, closed, already attending) leaves that
 * transaction usable and the caller refunds. A dead hold (expired, released) seats the buyer only
 * when the seats are free.
 */
export async function seatBuyer(
  ctx: Context, o: { order: PaymentOrder; reservation: CapacityReservation | null },
): Promise<{ attendee: EventAttendee; ticket: AttendanceRecord }> {
  if (!o.reservation) throw new Conflict('Reservation is gone');
  const seated = await seatPaidHolder(ctx, {
    reservation: o.reservation,
    order: { id: o.order.id, pricePaidMinor: toMinor(o.order.amount), platformFeeMinor: toMinor(o.order.platform_fee ?? '0') },
  });
  return { attendee: seated.attendee, ticket: seated.ticket };
}
