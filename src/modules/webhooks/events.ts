import type { AttendanceRecord, EventRequest, PaymentOrder } from '../../models/index.js';
import type { HostEventInput, HostEventSubject } from './writer.js';

/*
 * The data of each host event type, in one place, so the owning commands call
 * emitHostEvent(ctx, hostEvents.xxx(...)) with one line. Public fields only: uuids, never ids;
 * money as decimal strings; times ISO-8601.
 */
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
  requestAccepted(event: HostEventSubject, request: EventRequest, requester: { uuid: string }): HostEventInput {
    return {
      type: 'request.accepted', event,
      data: { request: { uuid: request.uuid, status: 'accepted', seats_requested: request.seats_requested }, requester: { uuid: requester.uuid } },
    };
  },
  orderPaid(event: HostEventSubject, order: PaymentOrder, buyer: { uuid: string }): HostEventInput {
    return {
      type: 'order.paid', event,
      data: { order: { uuid: order.uuid, reference: order.order_reference, amount: order.amount, currency: order.currency, status: 'paid' }, buyer: { uuid: buyer.uuid } },
    };
  },
  orderRefunded(event: HostEventSubject, order: PaymentOrder, refund: { amount: string; reason?: string | null }): HostEventInput {
    return {
      type: 'order.refunded', event,
      data: {
        order: { uuid: order.uuid, reference: order.order_reference, amount: order.amount, currency: order.currency, status: order.status },
        refund: { amount: refund.amount, reason: refund.reason ?? null },
      },
    };
  },
  attendeeCheckedIn(event: HostEventSubject, record: AttendanceRecord, attendee: { uuid: string }): HostEventInput {
    return {
      type: 'attendee.checked_in', event,
      data: { attendance: { uuid: record.uuid, seats: record.seats, checked_in_at: iso(record.checked_in_at) }, attendee: { uuid: attendee.uuid } },
    };
  },
  eventCancelled(event: HostEventSubject, reason: string | null): HostEventInput {
    return { type: 'event.cancelled', event, data: { reason } };
  },
};
