import crypto from 'node:crypto';
import type { CreationAttributes } from 'sequelize';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import {
  AuthUser, CapacityReservation, Event, EventAttendee, EventInterest, EventInterestMap, EventInvite, EventRequest,
  AttendanceRecord, Notification, PaymentOrder, UserProfile, Venue,
} from '../../src/models/index.js';

/**
 * Factories for tests: each builds a valid row with sensible defaults; pass overrides for what the
 * test is about. They write through the models (never SQL dumps).
 */
let seq = 0;
const next = () => `${process.pid}${++seq}${crypto.randomInt(1000, 9999)}`;

export function phone(): string {
  return `+91${String(crypto.randomInt(6_000_000_000, 9_999_999_999))}`;
}

export async function buildUser(over: Partial<CreationAttributes<AuthUser>> & { profile?: Partial<CreationAttributes<UserProfile>> | false } = {}) {
  const { profile, ...attrs } = over;
  const username = attrs.username ?? phone();
  const user = await AuthUser.create({
    username, first_name: 'Test', last_name: `User${next()}`, is_active: true, is_staff: false, is_superuser: false,
    date_joined: clock.now(), ...attrs,
  });
  if (profile !== false) {
    await UserProfile.create({
      user_id: user.id, name: `Test User ${seq}`, phone_number: username.startsWith('+') ? username : null,
      gender: 'prefer_not_to_say', profile_pictures: ['https://img.example/p.jpg'], is_verified: true, ...(profile ?? {}),
    });
  }
  return user;
}

export const buildStaff = (over: Partial<CreationAttributes<AuthUser>> = {}) =>
  buildUser({ is_staff: true, email: `staff${next()}@loopin.test`, ...over });

export async function buildVenue(over: Partial<CreationAttributes<Venue>> = {}) {
  return Venue.create({ name: `Venue ${next()}`, city: 'Pune', venue_type: 'indoor', capacity: 100, ...over });
}

export async function interest(slug = 'music') {
  const found = await EventInterest.findOne({ where: { slug } });
  return found ?? EventInterest.create({ name: slug.replace(/-/g, ' '), slug, is_active: true });
}

export async function buildEvent(over: Partial<CreationAttributes<Event>> & { host?: AuthUser; interests?: string[] } = {}) {
  const { host, interests = ['music'], ...attrs } = over;
  const hostUser = host ?? (await buildUser());
  const start = attrs.start_time ?? new Date(clock.now().getTime() + 7 * DAY);
  const title = attrs.title ?? `Event ${next()}`;
  const event = await Event.create({
    host_id: hostUser.id,
    title,
    slug: attrs.slug ?? `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${next()}`,
    description: 'A gathering worth showing up for.',
    start_time: start,
    end_time: attrs.end_time ?? new Date(start.getTime() + 3 * HOUR),
    max_capacity: 0,
    is_paid: false,
    ticket_price: '0.00',
    cover_images: ['https://img.example/cover.jpg'],
    status: 'published',
    is_public: true,
    is_active: true,
    ...attrs,
  });
  for (const slug of interests) {
    await EventInterestMap.create({ event_id: event.id, eventinterest_id: (await interest(slug)).id });
  }
  return Object.assign(event, { host: hostUser });
}

export const buildPaidEvent = (over: Parameters<typeof buildEvent>[0] = {}) =>
  buildEvent({ is_paid: true, ticket_price: '499.00', ...over });

export async function buildRequest(over: Partial<CreationAttributes<EventRequest>> & { event?: Event; requester?: AuthUser } = {}) {
  const { event, requester, ...attrs } = over;
  const ev = event ?? (await buildEvent());
  const user = requester ?? (await buildUser());
  const request = await EventRequest.create({ event_id: ev.id, requester_id: user.id, status: 'pending', seats_requested: 1, ...attrs });
  if ((attrs.status ?? 'pending') === 'pending') await ev.increment('requests_count');
  return Object.assign(request, { requester: user, event: ev });
}

export async function buildInvite(over: Partial<CreationAttributes<EventInvite>> & { event?: Event; invitee?: AuthUser } = {}) {
  const { event, invitee, ...attrs } = over;
  const ev = event ?? (await buildEvent());
  const user = invitee ?? (await buildUser());
  return EventInvite.create({
    event_id: ev.id, host_id: ev.host_id, invited_user_id: user.id, invite_type: 'direct', status: 'pending',
    expires_at: new Date(clock.now().getTime() + 7 * DAY), ...attrs,
  });
}

/** A going attendee with its attendance record; bumps the event's going_count. */
export async function buildAttendee(over: { event?: Event; user?: AuthUser; seats?: number; paid?: boolean } = {}) {
  const ev = over.event ?? (await buildEvent());
  const user = over.user ?? (await buildUser());
  const seats = over.seats ?? 1;
  const attendee = await EventAttendee.create({
    event_id: ev.id, user_id: user.id, seats, status: 'going', is_paid: !!over.paid,
    price_paid: over.paid ? ev.ticket_price : '0.00',
  });
  const record = await AttendanceRecord.create({
    event_id: ev.id, user_id: user.id, seats, status: 'going', payment_status: over.paid ? 'paid' : 'unpaid', attendee_id: attendee.id,
  });
  await ev.increment('going_count', { by: seats });
  return { attendee, record, user, event: ev };
}

export async function buildReservation(over: Partial<CreationAttributes<CapacityReservation>> & { event?: Event; user?: AuthUser } = {}) {
  const { event, user, ...attrs } = over;
  const ev = event ?? (await buildPaidEvent({ max_capacity: 10 }));
  const u = user ?? (await buildUser());
  return CapacityReservation.create({
    event_id: ev.id, user_id: u.id, seats_reserved: 1, consumed: false,
    expires_at: new Date(clock.now().getTime() + 15 * 60_000), ...attrs,
  });
}

export async function buildOrder(over: Partial<CreationAttributes<PaymentOrder>> & { event?: Event; user?: AuthUser } = {}) {
  const { event, user, ...attrs } = over;
  const ev = event ?? (await buildPaidEvent());
  const u = user ?? (await buildUser());
  const id = next();
  return PaymentOrder.create({
    event_id: ev.id, user_id: u.id, order_id: `order_${id}`, order_reference: `LOOP-${id}`, amount: ev.ticket_price,
    currency: 'INR', status: 'created', payment_provider: 'stripe', expires_at: new Date(clock.now().getTime() + DAY), ...attrs,
  });
}

export async function buildNotification(over: Partial<CreationAttributes<Notification>> & { recipient?: AuthUser } = {}) {
  const { recipient, ...attrs } = over;
  const user = recipient ?? (await buildUser());
  return Notification.create({ recipient_id: user.id, type: 'system', title: 'Hello', message: 'Welcome to Loopin', ...attrs });
}
