import { z } from '../../lib/zod.js';
import { PageQuery, page } from '../../http/pagination.js';
import { ATTENDANCE_PAYMENT_STATUSES, ATTENDANCE_STATUSES } from '../../models/AttendanceRecord.js';

/* Path params are plain strings: an id that is not a uuid is a 404 (decided by the command), never a 400. */
export const EventParams = z.object({ event: z.string().min(1).openapi({ description: 'Event uuid or slug' }) });
export const TicketParams = z.object({ uuid: z.string().min(1).openapi({ description: 'Ticket (attendance record) uuid' }) });
export const TicketListQuery = PageQuery.extend({ status: z.enum(ATTENDANCE_STATUSES).optional() });

const iso = z.string().openapi({ format: 'date-time' });
const EventRef = z.object({ uuid: z.string().uuid(), slug: z.string(), title: z.string(), start_time: iso, end_time: iso });

export const TicketOut = z.object({
  uuid: z.string().uuid(),
  event: EventRef,
  status: z.enum(ATTENDANCE_STATUSES),
  seats: z.number().int(),
  payment_status: z.enum(ATTENDANCE_PAYMENT_STATUSES),
  ticket_secret: z.string().nullable().openapi({
    description: '32 characters to type at the door (case, spaces and dashes do not matter); null once the ticket is void',
    example: '7K3M9QX2D4PW8RZT6HVN1BCY5FGJ0SAE',
  }),
  qr_payload: z.string().nullable().openapi({
    description: 'Compact JWS (EdDSA) with claims `ticket`, `event` (uuids) and `seats`, issuer `loopin`, type `loopin-ticket+jwt`; '
      + 'verify offline with GET /checkin/keys. Null once the ticket is void',
  }),
  checked_in_at: iso.nullable(),
  checked_out_at: iso.nullable(),
  created_at: iso,
}).openapi('Ticket');
export const TicketPage = page(TicketOut);

export const CheckinOtpOut = z.object({
  otp_code: z.string().openapi({ description: '6 digits, valid 5 minutes, single use; asking again voids it', example: '042917' }),
  expires_at: iso,
}).openapi('CheckinOtp');

const Jwk = z.object({ kty: z.string(), crv: z.string(), x: z.string(), kid: z.string(), alg: z.string(), use: z.string() })
  .passthrough().openapi('CheckinKey');
export const JwksOut = z.object({ keys: z.array(Jwk) }).openapi('CheckinKeys', {
  description: 'Every public key that signs (or signed) qr_payloads, by `kid`; older keys stay after rotation',
});

const otp = z.string().trim().regex(/^\d{6}$/, 'must be 6 digits');
export const CheckinBody = z.union([
  z.object({ ticket_secret: z.string().min(1).max(100) }).strict(),
  z.object({ qr_payload: z.string().min(1).max(4000) }).strict(),
  z.object({ ticket: z.string().min(1).max(100).openapi({ description: 'Ticket uuid' }), otp_code: otp }).strict(),
]).openapi('CheckinCredential', { description: 'Exactly one way in: `{ticket_secret}`, `{qr_payload}` or `{ticket, otp_code}`' });
export const CheckoutBody = z.object({ ticket: z.string().min(1).max(100).openapi({ description: 'Ticket uuid' }) });

export const DoorTicketOut = z.object({
  uuid: z.string().uuid(),
  event: z.object({ uuid: z.string().uuid(), slug: z.string(), title: z.string() }),
  attendee: z.object({ uuid: z.string().uuid(), name: z.string().nullable() }),
  status: z.enum(ATTENDANCE_STATUSES),
  seats: z.number().int(),
  payment_status: z.enum(ATTENDANCE_PAYMENT_STATUSES),
  checked_in_at: iso.nullable(),
  checked_out_at: iso.nullable(),
}).openapi('DoorTicket');

export const ScanIn = z.object({
  scan_id: z.string().min(1).max(100).openapi({ description: 'Chosen by the device, unique per scan: re-sending it changes nothing' }),
  ticket: z.string().min(1).max(100).openapi({ description: 'Ticket uuid (from the verified qr_payload)' }),
  scanned_at: z.string().max(40).openapi({ format: 'date-time', description: 'When the device scanned it (ISO-8601)' }),
  device: z.string().min(1).max(100),
});
export const SyncBody = z.object({ scans: z.array(ScanIn).min(1).max(500) });
export const ScanResultOut = z.object({
  scan_id: z.string(),
  result: z.enum(['accepted', 'duplicate', 'invalid']).openapi({
    description: 'accepted: this scan checked the ticket in · duplicate: the ticket was already in · invalid: see `reason`',
  }),
  checked_in_at: iso.nullable().openapi({ description: "The ticket's check-in time: its earliest scan" }),
  reason: z.string().nullable(),
});
export const SyncOut = z.object({ results: z.array(ScanResultOut) }).openapi('CheckinSync');

export const DoorEntryOut = z.object({
  ticket: z.string().uuid(),
  seats: z.number().int(),
  status: z.enum(ATTENDANCE_STATUSES),
  payment_status: z.enum(ATTENDANCE_PAYMENT_STATUSES),
  admissible: z.boolean().openapi({ description: 'May be let in now (going, not void, paid on a paid event)' }),
  checked_in_at: iso.nullable(),
  fingerprint: z.string().nullable().openapi({
    description: 'sha256 hex of "loopin-door:" + the normalised ticket code: check a typed code offline. Not a secret',
  }),
}).openapi('DoorListEntry');
export const DoorListPage = page(DoorEntryOut);

export const CheckinCountsOut = z.object({
  going: z.number().int().openapi({ description: 'Seats going or already in' }),
  checked_in: z.number().int().openapi({ description: 'Seats checked in (including those checked out since)' }),
  checked_out: z.number().int(),
}).openapi('CheckinCounts');
