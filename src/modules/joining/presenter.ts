import type { z } from 'zod';
import type { CapacityReservation, Event, EventAttendee, EventInvite, EventRequest } from '../../models/index.js';
import { formatMoney } from '../../lib/money.js';
import type { AcceptInviteOut, AcceptOrWaitlistOut, AcceptRequestOut, AttendeeOut, InviteOut, RequestOut, ReservationOut } from './schema.js';
import type { Seating } from './commands/seating.js';
import type { Acceptance } from './commands/requests.js';
import { inviteLive } from './rules.js';

/** Model → public JSON. Every field chosen; uuids only; ISO times; money as "499.00". */

interface PersonLike { uuid: string; profile?: { name: string | null } | null }
const person = (u: PersonLike | null | undefined) => (u ? { uuid: u.uuid, name: u.profile?.name ?? null } : null);
const eventRef = (e: Event) => ({ uuid: e.uuid, slug: e.slug, title: e.title, start_time: e.start_time.toISOString() });

export function presentRequest(r: EventRequest): z.infer<typeof RequestOut> {
  return {
    uuid: r.uuid,
    status: r.status,
    message: r.message ?? null,
    host_message: r.host_message ?? null,
    seats_requested: r.seats_requested,
    waitlist_position: r.waitlist_position ?? null,
    event: eventRef(r.event!),
    requester: person(r.requester as PersonLike | undefined) ?? { uuid: '', name: null },
    created_at: r.created_at.toISOString(),
    updated_at: r.updated_at.toISOString(),
  };
}

export function presentInvite(i: EventInvite, now: Date): z.infer<typeof InviteOut> {
  const expired = i.status === 'pending' && !inviteLive(i, now);
  return {
    uuid: i.uuid,
    invite_type: i.invite_type,
    status: expired ? 'expired' : i.status,
    message: i.message ?? null,
    expires_at: i.expires_at ? i.expires_at.toISOString() : null,
    event: eventRef(i.event!),
    host: person(i.host),
    invited_user: person(i.invited_user),
    created_at: i.created_at.toISOString(),
  };
}

export const presentAttendee = (a: EventAttendee): z.infer<typeof AttendeeOut> => attendeeOut(a, a.user);

/** `user`: who attends, given apart when the attendee was built without it (a seating's result). */
function attendeeOut(a: EventAttendee, user: PersonLike | null | undefined): z.infer<typeof AttendeeOut> {
  return {
    uuid: a.uuid,
    user: person(user) ?? { uuid: '', name: null },
    seats: a.seats,
    paid: a.is_paid,
    price_paid: formatMoney(a.price_paid),
    status: a.status,
    ticket_type: a.ticket_type,
    created_at: a.created_at.toISOString(),
  };
}

export const presentReservation = (r: CapacityReservation): z.infer<typeof ReservationOut> => ({
  reservation_key: r.reservation_key, seats_reserved: r.seats_reserved, expires_at: r.expires_at.toISOString(),
});

const seating = (s: Seating, user: PersonLike | null | undefined) => ({
  attendee: s.attendee ? attendeeOut(s.attendee, s.attendee.user ?? user) : null,
  reservation: s.reservation ? presentReservation(s.reservation) : null,
});

export const presentRequestAcceptance = (o: { request: EventRequest } & Seating): z.infer<typeof AcceptRequestOut> => ({
  request: presentRequest(o.request), ...seating(o, o.request.requester as PersonLike | undefined),
});

/** An accept's answer: the seating, or `{uuid, status: "waitlisted", waitlist_position}` (API.md). */
export const presentAcceptOrWaitlist = (o: Acceptance): z.infer<typeof AcceptOrWaitlistOut> => (o.waitlist_position !== null
  ? { uuid: o.request.uuid, status: 'waitlisted', waitlist_position: o.waitlist_position }
  : presentRequestAcceptance(o));

export const presentInviteAcceptance = (o: { invite: EventInvite } & Seating, now: Date): z.infer<typeof AcceptInviteOut> => ({
  invite: presentInvite(o.invite, now), ...seating(o, o.invite.invited_user),
});
