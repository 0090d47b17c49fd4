import {
  ATTENDANCE_PAYMENT_STATUSES, ATTENDANCE_STATUSES, AttendanceOtp, AttendanceRecord, CapacityReservation, EventAttendee,
  EventRequest, REQUEST_STATUSES, TICKET_TYPES, TicketSecret,
} from '../src/models/index.js';
import { NAV, choices, newestFirst, noBulkDelete, readOnlyActions, shownOnly, type ResourceList, withOptions } from '../src/admin/resource-options.js';
import { attendeeActions, requestActions, reservationActions, waitlistActions, withWaitlistPosition } from './actions/joining.js';
import { attendanceRecordActions } from './actions/attendance.js';
import { requestWrites } from './commands.js';

/**
 * Attendance domain: join requests, attendees, seat holds, tickets and their OTPs/secrets. Statuses
 * move only through the joining/attendance commands (approve, decline, check in…); holds, OTPs and
 * ticket secrets are never edited by hand, and their hashes are never read.
 */
export const attendanceResources: ResourceList = (make) => [
  // Only the seats change here, through changeRequestSeats (the event's limit and capacity). An
  // event's waitlist is this list filtered by event and status "waitlisted", sorted by waitlist_seq
  // (the event's "Waitlist" action opens it; index event_request_waitlist serves it), with positions.
  withOptions(make(EventRequest, {
    readOnly: ['status', 'event_id', 'requester_id', 'message', 'host_message', 'waitlist_seq'], commands: requestWrites,
  }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'requester_id', 'status', 'seats_requested', 'waitlist_position', 'waitlist_seq', 'created_at'],
    filterProperties: ['event_id', 'requester_id', 'status'],
    editProperties: ['seats_requested'],
    properties: {
      uuid: { isTitle: true }, status: { ...choices(REQUEST_STATUSES), ...shownOnly }, message: { type: 'textarea' }, host_message: { type: 'textarea' },
      waitlist_seq: { ...shownOnly, isSortable: true },
      waitlist_position: { type: 'number', isVisible: { list: true, show: true, filter: false, edit: false }, isSortable: false },
    },
    // Requests are made by users and answered by approve/decline: a panel create or delete would skip requests_count.
    actions: {
      ...noBulkDelete, new: { isAccessible: false }, delete: { isAccessible: false },
      list: { after: withWaitlistPosition }, show: { after: withWaitlistPosition }, ...requestActions, ...waitlistActions,
    },
  }),
  withOptions(make(EventAttendee, { readOnly: ['status', 'seats', 'event_id', 'user_id', 'is_paid', 'price_paid', 'platform_fee', 'checked_in_at'] }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'user_id', 'status', 'seats', 'is_paid', 'price_paid', 'checked_in_at'],
    filterProperties: ['event_id', 'user_id'],
    editProperties: ['ticket_type'],
    properties: { uuid: { isTitle: true }, ticket_type: choices(TICKET_TYPES), status: { ...choices(ATTENDANCE_STATUSES), ...shownOnly } },
    actions: { ...noBulkDelete, delete: { isAccessible: false }, ...attendeeActions },
  }),
  withOptions(make(CapacityReservation, { immutable: true }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'user_id', 'seats_reserved', 'consumed', 'expires_at', 'released_at'],
    filterProperties: ['event_id', 'user_id'],
    properties: { reservation_key: { isTitle: true } },
    actions: { ...readOnlyActions, ...reservationActions },
  }),
  withOptions(make(AttendanceRecord, { secrets: ['ticket_secret'], readOnly: ['status', 'payment_status', 'event_id', 'user_id', 'seats', 'checked_in_at', 'checked_out_at', 'payment_order_id', 'attendee_id'] }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'user_id', 'status', 'payment_status', 'seats', 'checked_in_at'],
    // The attendance list of an event: event_id + status, newest first (index attendance_record_event_status_id).
    filterProperties: ['event_id', 'status', 'user_id'],
    editProperties: ['notes'],
    properties: {
      uuid: { isTitle: true },
      status: { ...choices(ATTENDANCE_STATUSES), ...shownOnly },
      payment_status: { ...choices(ATTENDANCE_PAYMENT_STATUSES), ...shownOnly },
      notes: { type: 'textarea' },
    },
    actions: { ...noBulkDelete, delete: { isAccessible: false }, new: { isAccessible: false }, ...attendanceRecordActions },
  }),
  withOptions(make(AttendanceOtp, { secrets: ['otp_code'], immutable: true }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'attendance_record_id', 'is_used', 'attempts', 'expires_at', 'created_at'],
    filterProperties: ['attendance_record_id'],
    actions: readOnlyActions,
  }),
  withOptions(make(TicketSecret, { secrets: ['secret_hash', 'secret_salt', 'secret_lookup'], immutable: true }), {
    navigation: NAV.attendance,
    sort: newestFirst,
    listProperties: ['id', 'attendance_record_id', 'is_redeemed', 'redeemed_at', 'created_at'],
    filterProperties: ['attendance_record_id'],
    actions: readOnlyActions,
  }),
];
