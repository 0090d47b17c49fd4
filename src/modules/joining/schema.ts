import { z } from '../../lib/zod.js';
import { PageQuery, page } from '../../http/pagination.js';
import { REQUEST_STATUSES } from '../../models/EventRequest.js';
import { INVITE_STATUSES, INVITE_TYPES } from '../../models/EventInvite.js';
import { ATTENDANCE_STATUSES } from '../../models/EventAttendee.js';

/*
 * Path params are plain strings: an id that is not a uuid is a 404 (decided by the command), never a 400.
 */
export const EventParams = z.object({ event: z.string().min(1).openapi({ description: 'Event uuid or slug' }) });
export const EventItemParams = EventParams.extend({ uuid: z.string().min(1) });
export const ItemParams = z.object({ uuid: z.string().min(1) });

const message = z.string().trim().max(1000);

export const CreateRequestBody = z.object({
  message: message.optional(),
  seats_requested: z.number().int().min(1).max(2).optional()
    .openapi({ description: '1, or 2 when the event allows a plus-one' }),
});
export const HostMessageBody = z.object({ host_message: message.optional() });

export const CreateInviteBody = z.object({
  invited_user: z.string().uuid(),
  message: message.optional(),
  expires_at: z.string().datetime({ offset: true }).optional()
    .openapi({ description: 'Default: 7 days from now or the event start, whichever is sooner' }),
});
export const ShareLinkBody = z.object({
  message: message.optional(),
  expires_at: z.string().datetime({ offset: true }).optional()
    .openapi({ description: 'Default: 7 days from now or the event start, whichever is sooner' }),
});
export const RedeemShareLinkBody = z.object({
  token: z.string().min(20).max(200).openapi({ description: 'The token from the share link (after `#token=`)' }),
});

export const RequestListQuery = PageQuery.extend({ status: z.enum(REQUEST_STATUSES).optional() });
export const InviteListQuery = PageQuery.extend({ status: z.enum(INVITE_STATUSES).optional() });
export const AttendeeListQuery = PageQuery.extend({ status: z.enum(ATTENDANCE_STATUSES).optional() });

const iso = z.string().openapi({ format: 'date-time' });
const UserRef = z.object({ uuid: z.string().uuid(), name: z.string().nullable() });
const EventRef = z.object({ uuid: z.string().uuid(), slug: z.string(), title: z.string(), start_time: iso });

export const RequestOut = z.object({
  uuid: z.string().uuid(),
  status: z.enum(REQUEST_STATUSES),
  message: z.string().nullable(),
  host_message: z.string().nullable(),
  seats_requested: z.number().int(),
  waitlist_position: z.number().int().nullable().openapi({ description: 'Place in the waitlist (1 = next) while waitlisted, else null' }),
  event: EventRef,
  requester: UserRef,
  created_at: iso,
  updated_at: iso,
}).openapi('JoinRequest');

export const InviteOut = z.object({
  uuid: z.string().uuid(),
  invite_type: z.enum(INVITE_TYPES),
  status: z.enum(INVITE_STATUSES).openapi({ description: 'A pending invite past `expires_at` reads as `expired`' }),
  message: z.string().nullable(),
  expires_at: iso.nullable(),
  event: EventRef,
  host: UserRef.nullable(),
  invited_user: UserRef.nullable(),
  created_at: iso,
}).openapi('Invite');

export const ShareLinkOut = InviteOut.extend({
  token: z.string().openapi({ description: 'Shown once; only its hash is stored' }),
  url: z.string().openapi({ description: 'Link to share; the app POSTs the token to /invites/share-link/accept' }),
}).openapi('ShareLink');

export const AttendeeOut = z.object({
  uuid: z.string().uuid(),
  user: UserRef,
  seats: z.number().int(),
  paid: z.boolean(),
  price_paid: z.string().openapi({ example: '499.00' }),
  status: z.enum(ATTENDANCE_STATUSES),
  ticket_type: z.string(),
  created_at: iso,
}).openapi('Attendee');

export const ReservationOut = z.object({
  reservation_key: z.string().uuid(),
  seats_reserved: z.number().int(),
  expires_at: iso,
}).openapi('Reservation');

export const AcceptRequestOut = z.object({
  request: RequestOut,
  attendee: AttendeeOut.nullable().openapi({ description: 'Free events: the new attendee' }),
  reservation: ReservationOut.nullable().openapi({ description: 'Paid events: the seats held while the requester pays' }),
});
export const WaitlistedOut = z.object({
  uuid: z.string().uuid(),
  status: z.literal('waitlisted'),
  waitlist_position: z.number().int().openapi({ description: '1 = next to be admitted' }),
}).openapi('WaitlistedRequest');
export const AcceptOrWaitlistOut = z.union([AcceptRequestOut, WaitlistedOut])
  .openapi({ description: 'Seated or holding; on a full event with waitlist_enabled, the request\'s place on the waitlist' });
export const AcceptInviteOut = z.object({
  invite: InviteOut,
  attendee: AttendeeOut.nullable().openapi({ description: 'Free events: the new attendee' }),
  reservation: ReservationOut.nullable().openapi({ description: 'Paid events: the seats held while the invitee pays' }),
});

export const RequestPage = page(RequestOut);
export const InvitePage = page(InviteOut);
export const AttendeePage = page(AttendeeOut);
