import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, Forbidden, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { Event, EventAttendee, EventRequest, UserProfile } from '../../../models/index.js';
import type { RequestStatus } from '../../../models/EventRequest.js';
import { audit, type AuditEntry } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { emitHostEvent, hostEvents } from '../../webhooks/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { canSeeEvent } from '../../events/policy.js';
import { authorizeManageVisible, authorizeOwned, requireActor } from '../policy.js';
import { ATTENDING_STATUSES, closedReason, genderAllowed, maxSeats } from '../rules.js';
import { bumpRequests, heldSeats } from './capacity.js';
import { seat, type Seating } from './seating.js';
import { loadRequest } from './views.js';
import { WAITLISTED, waitlistRequest } from './waitlist.js';
import { REFUSALS } from '../../../db/functions/joining-rules.js';

/** A user asks to join an event. One pending request per user per event; requests_count += 1. */
export async function createRequest(
  ctx: Context, input: { eventRef: string; message?: string; seatsRequested?: number },
): Promise<EventRequest> {
  return withTransaction(ctx, async (tx, ctx) => {
    const actor = requireActor(ctx.actor);
    const now = ctx.now();
    const event = await findEventByRef(input.eventRef, { transaction: tx });
    // Drafts, and private events the caller was not invited to, do not exist for them (no request, no host notification).
    if (!(await canSeeEvent(actor, event, tx))) throw new NotFound('Event');
    if (event.host_id === actor.id) throw new Forbidden('You host this event');
    const closed = closedReason(event, now);
    if (closed) throw new Conflict(closed);
    const seats = input.seatsRequested ?? 1;
    if (seats > maxSeats(event)) {
      throw ValidationFailed.field('seats_requested', `must be at most ${maxSeats(event)} for this event`);
    }
    const profile = await UserProfile.findOne({ where: { user_id: actor.id }, transaction: tx });
    if (!genderAllowed(event.allowed_genders, profile?.gender)) throw new Forbidden('This event is restricted by gender');
    if (await EventAttendee.count({ where: { event_id: event.id, user_id: actor.id, status: [...ATTENDING_STATUSES] }, transaction: tx })) {
      throw new Conflict('Already attending this event');
    }
    // A waitlist event takes requests while full: the host's accept puts them on the waitlist.
    if (!event.waitlist_enabled && event.max_capacity > 0
      && event.going_count + (await heldSeats(event.id, now, tx)) + seats > event.max_capacity) {
      throw new Conflict('Event is full');
    }
    // The partial unique indexes event_request_one_pending/_one_waitlisted decide between concurrent
    // duplicates (the loser's insert fails → 409); this read only gives the common case a clear message.
    const open = await EventRequest.findOne({
      where: { event_id: event.id, requester_id: actor.id, status: ['pending', WAITLISTED] }, attributes: ['status'], transaction: tx,
    });
    if (open) throw new Conflict(open.status === WAITLISTED ? 'You are already on the waitlist of this event' : 'You already have a pending request for this event');
    const request = await EventRequest.create({
      event_id: event.id, requester_id: actor.id, status: 'pending', message: input.message ?? null, seats_requested: seats,
    }, { transaction: tx });
    await notify(ctx, {
      recipientId: event.host_id, senderId: actor.id, type: 'event_request', title: 'New request to join',
      message: `${profile?.name ?? 'Someone'} asked to join ${event.title}.`, reference: { type: 'event_request', id: request.id },
    });
    await audit(ctx, {
      action: 'create', command: 'joining.request.create', object: { type: 'event_request', id: request.id, uuid: request.uuid },
      newValues: { status: 'pending', seats_requested: seats, event_uuid: event.uuid },
    });
    await emitHostEvent(ctx, hostEvents.requestCreated(event, request, { uuid: actor.uuid, name: profile?.name }));
    // Last, so the event row (locked by this UPDATE until commit) is held as briefly as possible.
    await bumpRequests(tx, event.id, +1, now);
    return Object.assign(request, { event, requester: { uuid: actor.uuid, profile } } as never) as EventRequest;
  });
}

/**
 * Moves a pending request to `to`. The conditional UPDATE (… WHERE status = 'pending') locks the row
 * and is the arbiter between racing accept/decline/cancel: exactly one of them sees 1 row.
 */
async function leavePending(
  ctx: Context, request: EventRequest, to: RequestStatus, hostMessage?: string, from: 'pending' | typeof WAITLISTED = 'pending',
): Promise<void> {
  const values = { status: to, ...(hostMessage !== undefined ? { host_message: hostMessage } : {}) };
  const [changed] = await EventRequest.update({ ...values, waitlist_seq: null }, {
    where: { id: request.id, status: from }, transaction: ctx.transaction,
  });
  if (!changed) {
    const fresh = await EventRequest.findByPk(request.id, { transaction: ctx.transaction, attributes: ['status'] });
    throw new Conflict(`Request is ${fresh?.status ?? 'gone'}`);
  }
  Object.assign(request, values, { waitlist_seq: null });
  await audit(ctx, transitionAudit(request, values, from));
}

/** The audit entry of a request leaving pending (accept, decline, cancel). */
function transitionAudit(request: EventRequest, values: { status: RequestStatus; host_message?: string }, from = 'pending'): AuditEntry {
  const verb = values.status === 'accepted' ? 'accept' : values.status === 'declined' ? 'decline' : 'cancel';
  return {
    action: 'update', command: `joining.request.${verb}`, object: { type: 'event_request', id: request.id, uuid: request.uuid },
    oldValues: { status: from }, newValues: values, userId: request.requester_id,
  };
}

/** An accept's outcome: seated or holding, or — full waitlist event — waitlisted at `waitlist_position` (seating all null). */
export type Acceptance = { request: EventRequest; waitlist_position: number | null } & Seating;

/**
 * The host (or staff) accepts: free event → attendee + ticket, going_count += seats; paid event →
 * a hold of the seats for HOLD_MINUTES; requests_count -= 1. The rules are checked here; the
 * writes are one seat() call (docs/decisions/0421-accept-in-one-sql-call.md). On a full event with
 * waitlist_enabled the request goes on the waitlist instead of a 409 (waitlist.ts).
 */
export async function acceptRequest(
  ctx: Context, input: { requestUuid: string; eventRef?: string; hostMessage?: string },
): Promise<Acceptance> {
  const request = await loadRequest(ctx, input.requestUuid, input.eventRef);
  const actor = await authorizeManageVisible(ctx.actor, request.event, { what: 'Request', ownerId: request.requester_id });
  const values = { status: 'accepted' as const, ...(input.hostMessage !== undefined ? { host_message: input.hostMessage } : {}) };
  let seating: Seating;
  try {
    seating = await seatAccepted(ctx, request, actor.id, input.hostMessage, values);
  } catch (err) {
    if (!(err instanceof Conflict && err.message === REFUSALS.claimFailed.message && request.event.waitlist_enabled)) throw err;
    const out = await waitlistRequest(ctx, request, { actorId: actor.id, hostMessage: input.hostMessage });
    return 'waitlist_position' in out
      ? { request: out.request, waitlist_position: out.waitlist_position, attendee: null, reservation: null, ticket: null }
      : { ...out, waitlist_position: null };
  }
  Object.assign(request, values, { updated_at: ctx.now() });
  return { request, waitlist_position: null, ...seating };
}

/** The one seat() call of an accept: the request leaves pending in it (joining_accept_request). */
function seatAccepted(
  ctx: Context, request: EventRequest & { event: Event }, actorId: number, hostMessage: string | undefined,
  values: { status: 'accepted'; host_message?: string },
): Promise<Seating> {
  return seat(ctx, {
    event: request.event, userId: request.requester_id, seats: request.seats_requested,
    acceptRequest: { id: request.id, hostMessage },
    audit: [transitionAudit(request, values)],
    notifications: [{
      recipientId: request.requester_id, senderId: actorId, type: 'event_request', title: 'Your request was accepted',
      message: request.event.is_paid
        ? `You're in for ${request.event.title}: your seats are held while you pay.`
        : `You're going to ${request.event.title}.`,
      reference: { type: 'event_request', id: request.id },
      metadata: hostMessage ? { host_message: hostMessage } : {},
    }],
    hostEvents: [hostEvents.requestAccepted(request.event, request, request.requester)],
  });
}

/** The host (or staff) declines a pending request; requests_count -= 1. */
export async function declineRequest(
  ctx: Context, input: { requestUuid: string; eventRef?: string; hostMessage?: string },
): Promise<EventRequest> {
  return withTransaction(ctx, async (tx, ctx) => {
    const request = await loadRequest(ctx, input.requestUuid, input.eventRef);
    const actor = await authorizeManageVisible(ctx.actor, request.event, { transaction: tx, what: 'Request', ownerId: request.requester_id });
    await leavePending(ctx, request, 'declined', input.hostMessage);
    await notify(ctx, {
      recipientId: request.requester_id, senderId: actor.id, type: 'event_request', title: 'Your request was declined',
      message: `Your request to join ${request.event.title} was declined.`, reference: { type: 'event_request', id: request.id },
      metadata: input.hostMessage ? { host_message: input.hostMessage } : {},
    });
    await bumpRequests(tx, request.event_id, -1, ctx.now());
    return request;
  });
}

/**
 * The requester withdraws a pending request (requests_count -= 1) or leaves the waitlist (those
 * behind move up). Others' requests are 404.
 */
export async function cancelRequest(ctx: Context, input: { requestUuid: string }): Promise<EventRequest> {
  return withTransaction(ctx, async (tx, ctx) => {
    const request = await loadRequest(ctx, input.requestUuid);
    authorizeOwned(ctx.actor, 'answerOwn', { ownerId: request.requester_id, event: request.event }, 'Request');
    const from = request.status === WAITLISTED ? WAITLISTED : 'pending';
    await leavePending(ctx, request, 'cancelled', undefined, from);
    await notify(ctx, {
      recipientId: request.event.host_id, senderId: request.requester_id, type: 'event_request', title: 'A request was withdrawn',
      message: `${request.requester?.profile?.name ?? 'Someone'} withdrew their request to join ${request.event.title}.`,
      reference: { type: 'event_request', id: request.id },
    });
    if (from === 'pending') await bumpRequests(tx, request.event_id, -1, ctx.now());
    return request;
  });
}
