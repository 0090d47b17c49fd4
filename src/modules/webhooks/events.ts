import type { AttendanceRecord, EventRequest, PaymentOrder } from '../../models/index.js';
import type { HostEventInput, HostEventSubject } from './writer.js';

/*
 * The data of each host event type, in one place, so the owning commands call
 * emitHostEvent(ctx, hostEvents.xxx(...)) with one line. Public fields only: uuids, never ids;
 * money as decimal strings; times ISO-8601.
 */
const orderData = (o: PaymentOrder) => ({
  uuid: o.uuid, reference: o.order_reference, amount: o.amount, currency: o.currency, status: o.status, refund_amount: o.refund_amount ?? '0.00',
});
const iso = (d: Date | string | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export const hostEvents = {
  requestCreated(event: HostEventSubject, request: EventRequest, requester: { uuid: string; name?: string | null }): HostEventInput {
    return {
      type: 'request.created', event,
      data: {
        request: { uuid: request.uuid, status: request.status, seats_requested: request.seats_requested, message: request.message ?? null },
        requester: { uuid: requester.uuid, name: requester.name ?? null },
      },
    };
  },
  requestAccepted(event: HostEventSubject, request: EventRequest, requester: { uuid: string } | null | undefined): HostEventInput {
    return {
      type: 'request.accepted', event,
      data: {
        request: { uuid: request.uuid, status: 'accepted', seats_requested: request.seats_requested },
        requester: requester ? { uuid: requester.uuid } : null,
      },
    };
  },
  orderPaid(event: HostEventSubject, order: PaymentOrder, ticket: AttendanceRecord): HostEventInput {
    return {
      type: 'order.paid', event, person: { as: 'buyer', id: order.user_id },
      data: { order: orderData(order), ticket: { uuid: ticket.uuid, seats: ticket.seats } },
    };
  },
  orderRefunded(event: HostEventSubject | { id: number }, order: PaymentOrder, refund: { amount: string; reason?: string | null }): HostEventInput {
    return {
      type: 'order.refunded', event, person: { as: 'buyer', id: order.user_id },
      data: { order: orderData(order), refund: { amount: refund.amount, reason: refund.reason ?? null } },
    };
  },
  attendeeCheckedIn(event: HostEventSubject, record: AttendanceRecord, at: Date): HostEventInput {
    return {
      type: 'attendee.checked_in', event, person: { as: 'attendee', id: record.user_id },
      data: { ticket: { uuid: record.uuid, seats: record.seats, checked_in_at: iso(at) } },
    };
  },
  eventCancelled(event: HostEventSubject, reason: string | null): HostEventInput {
    return { type: 'event.cancelled', event, data: { reason } };
  },
};
