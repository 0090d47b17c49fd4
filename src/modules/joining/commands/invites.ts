import { Op, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { AuthUser, Event, EventAttendee, EventInvite } from '../../../models/index.js';
import type { InviteStatus } from '../../../models/EventInvite.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeManageVisible, authorizeOwned } from '../policy.js';
import { ATTENDING_STATUSES, closedReason, defaultInviteExpiry } from '../rules.js';
import { seat, type Seating } from './seating.js';
import { inviteIncludes } from './views.js';

/** Invites can be sent while the event is a draft or published, active, and not yet started. */
export function refuseIfNotInvitable(event: Event, now: Date): void {
  if (!event.is_active || !['draft', 'published'].includes(event.status)) throw new Conflict(`Event is ${event.is_active ? event.status : 'inactive'}`);
  if (event.start_time.getTime() <= now.getTime()) throw new Conflict('Event has already started');
}

/** An explicit expiry must lie in the future and not after the event starts; absent → the default. */
export function inviteExpiry(event: Event, now: Date, expiresAt: string | undefined): Date {
  if (expiresAt === undefined) return defaultInviteExpiry(event, now);
  const at = new Date(expiresAt);
  if (at.getTime() <= now.getTime()) throw ValidationFailed.field('expires_at', 'must be in the future');
  if (at.getTime() > event.start_time.getTime()) throw ValidationFailed.field('expires_at', 'must not be after the event starts');
  return at;
}

export const loadInvite = (id: number, transaction?: Transaction) =>
  EventInvite.findByPk(id, { include: inviteIncludes, transaction, rejectOnEmpty: true });

/** The host (or staff) invites one user to an event; one invite per user per event. */
export async function createInvite(
  ctx: Context, input: { eventRef: string; invitedUserUuid: string; message?: string; expiresAt?: string },
): Promise<EventInvite> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const event = await findEventByRef(input.eventRef, { transaction: tx });
    const actor = await authorizeManageVisible(ctx.actor, event, { transaction: tx });
    refuseIfNotInvitable(event, now);
    const invitee = await AuthUser.findOne({ where: { uuid: input.invitedUserUuid, is_active: true }, transaction: tx });
    if (!invitee) throw ValidationFailed.field('invited_user', 'no such user');
    if (invitee.id === event.host_id) throw ValidationFailed.field('invited_user', 'is the host of this event');
    const expiresAt = inviteExpiry(event, now, input.expiresAt);
    if (await EventInvite.count({ where: { event_id: event.id, invited_user_id: invitee.id }, transaction: tx })) {
      throw new Conflict('This user is already invited to this event');
    }
    if (await EventAttendee.count({ where: { event_id: event.id, user_id: invitee.id, status: [...ATTENDING_STATUSES] }, transaction: tx })) {
      throw new Conflict('This user is already attending');
    }
    // UNIQUE (event_id, invited_user_id) settles concurrent duplicates: the loser's insert is a 409.
    const invite = await EventInvite.create({
      event_id: event.id, host_id: event.host_id, invited_user_id: invitee.id, invite_type: 'direct', status: 'pending',
      message: input.message ?? null, expires_at: expiresAt,
    }, { transaction: tx });
    await notify(ctx, {
      recipientId: invitee.id, senderId: actor.id, type: 'event_invite', title: 'You are invited',
      message: `You are invited to ${event.title}.`, reference: { type: 'event_invite', id: invite.id },
      metadata: { expires_at: expiresAt.toISOString() },
    });
    await audit(ctx, {
      action: 'create', command: 'joining.invite.create', object: { type: 'event_invite', id: invite.id, uuid: invite.uuid },
      newValues: { invite_type: 'direct', status: 'pending', expires_at: expiresAt.toISOString() }, userId: invitee.id,
    });
    return loadInvite(invite.id, tx);
  });
}

/**
 * Moves a live invite (pending, not past expires_at by the app clock) to `to`. The conditional UPDATE
 * is the arbiter between racing answers; an invite past its expiry is refused even before the sweeper runs.
 */
export async function answerInvite(ctx: Context, invite: EventInvite, to: InviteStatus, command: string): Promise<void> {
  const now = ctx.now();
  const [changed] = await EventInvite.update({ status: to }, {
    where: { id: invite.id, status: 'pending', [Op.or]: [{ expires_at: null }, { expires_at: { [Op.gt]: now } }] },
    transaction: ctx.transaction,
  });
  if (!changed) {
    await invite.reload({ transaction: ctx.transaction });
    throw new Conflict(invite.status === 'pending' ? 'Invite has expired' : `Invite is ${invite.status}`);
  }
  invite.status = to;
  await audit(ctx, {
    action: 'update', command, object: { type: 'event_invite', id: invite.id, uuid: invite.uuid },
    oldValues: { status: 'pending' }, newValues: { status: to }, userId: invite.invited_user_id,
  });
}

/** Seats the invitee of an invite that was just accepted (attendee or hold) and tells the host. */
export async function seatInvitee(ctx: Context, invite: EventInvite, event: Event): Promise<Seating> {
  const closed = closedReason(event, ctx.now());
  if (closed) throw new Conflict(closed);
  const inviteeName = invite.invited_user?.profile?.name ?? 'Your guest';
  return seat(ctx, {
    event, userId: invite.invited_user_id!, seats: 1, inviteId: invite.id,
    notifications: [{
      recipientId: invite.host_id ?? event.host_id, senderId: invite.invited_user_id, type: 'event_invite', title: 'Invite accepted',
      message: `${inviteeName} accepted your invite to ${event.title}.`, reference: { type: 'event_invite', id: invite.id },
    }],
  });
}

async function findMyInvite(ctx: Context, uuid: string): Promise<EventInvite & { event: Event }> {
  if (!isUuid(uuid)) throw new NotFound('Invite');
  const invite = await EventInvite.findOne({ where: { uuid, invite_type: 'direct' }, include: inviteIncludes, transaction: ctx.transaction });
  if (!invite?.event || invite.invited_user_id === null) throw new NotFound('Invite');
  authorizeOwned(ctx.actor, 'answerOwn', { ownerId: invite.invited_user_id, event: invite.event }, 'Invite');
  return invite as EventInvite & { event: Event };
}

/** The invitee accepts: attendee (free) or a hold (paid); an expired invite is a 409. */
export async function acceptInvite(ctx: Context, input: { inviteUuid: string }): Promise<{ invite: EventInvite } & Seating> {
  return withTransaction(ctx, async (_tx, ctx) => {
    const invite = await findMyInvite(ctx, input.inviteUuid);
    await answerInvite(ctx, invite, 'accepted', 'joining.invite.accept');
    return { invite, ...(await seatInvitee(ctx, invite, invite.event)) };
  });
}

export async function declineInvite(ctx: Context, input: { inviteUuid: string }): Promise<EventInvite> {
  return withTransaction(ctx, async (_tx, ctx) => {
    const invite = await findMyInvite(ctx, input.inviteUuid);
    await answerInvite(ctx, invite, 'declined', 'joining.invite.decline');
    await notify(ctx, {
      recipientId: invite.host_id ?? invite.event.host_id, senderId: invite.invited_user_id, type: 'event_invite', title: 'Invite declined',
      message: `${invite.invited_user?.profile?.name ?? 'Your guest'} declined your invite to ${invite.event.title}.`,
      reference: { type: 'event_invite', id: invite.id },
    });
    return invite;
  });
}

/** Job: marks pending invites (and share links) past expires_at as expired. Idempotent. */
export async function expireInvites(ctx: Context, { batchSize = 1000 } = {}): Promise<{ expired: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const due = await EventInvite.findAll({
      where: { status: 'pending', expires_at: { [Op.lte]: now } },
      attributes: ['id', 'uuid'], limit: batchSize, order: [['expires_at', 'ASC']], transaction: tx, lock: tx.LOCK.UPDATE, skipLocked: true,
    });
    if (!due.length) return { expired: 0 };
    await EventInvite.update({ status: 'expired' }, { where: { id: due.map((i) => i.id), status: 'pending' }, transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'joining.invite.expire', object: { type: 'event_invite' },
      oldValues: { status: 'pending' }, newValues: { status: 'expired' }, payload: { invites: due.map((i) => i.uuid) },
    });
    return { expired: due.length };
  });
}
