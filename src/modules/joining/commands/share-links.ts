import type { Context } from '../../../context.js';
import { config } from '../../../config.js';
import { withTransaction } from '../../../db/transaction.js';
import { randomToken, safeEqual, sha256 } from '../../../lib/crypto.js';
import { Conflict, Forbidden, NotFound } from '../../../lib/errors.js';
import { EventInvite, UserProfile } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeManage, requireActor } from '../policy.js';
import { closedReason, genderAllowed, inviteLive } from '../rules.js';
import type { Seating } from './seating.js';
import { answerInvite, inviteExpiry, loadInvite, refuseIfNotInvitable, seatInvitee } from './invites.js';
import { inviteIncludes } from './views.js';

/*
 * Share links: one EVENT_INVITE row (invite_type share_link) holds the SHA-256 of a 256-bit random
 * token; the token itself exists only in the link handed to the host. Anyone signed in who holds the
 * link may redeem it until it expires or is revoked; each redemption creates (or answers) that
 * user's own invite row, so "one invite per user per event" still holds. The link carries the token
 * in the URL fragment and the app POSTs it in the body, so it never lands in access logs.
 */

const hashToken = (token: string) => sha256(token);

export function shareUrl(token: string): string {
  const base = config().PUBLIC_URL ?? `http://localhost:${config().PORT}`;
  return `${base.replace(/\/$/, '')}/join#token=${token}`;
}

export async function createShareLink(
  ctx: Context, input: { eventRef: string; message?: string; expiresAt?: string },
): Promise<{ invite: EventInvite; token: string; url: string }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const event = await findEventByRef(input.eventRef, { transaction: tx });
    authorizeManage(ctx.actor, event);
    refuseIfNotInvitable(event, now);
    const token = randomToken(32);
    const link = await EventInvite.create({
      event_id: event.id, host_id: event.host_id, invited_user_id: null, invite_type: 'share_link', status: 'pending',
      message: input.message ?? null, expires_at: inviteExpiry(event, now, input.expiresAt), token_hash: hashToken(token),
    }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'joining.share_link.create', object: { type: 'event_invite', id: link.id, uuid: link.uuid },
      newValues: { invite_type: 'share_link', expires_at: link.expires_at?.toISOString() ?? null },
    });
    return { invite: await loadInvite(link.id, tx), token, url: shareUrl(token) };
  });
}

/** The host (or staff) stops a share link: it reads as expired from now on. */
export async function revokeShareLink(ctx: Context, input: { eventRef: string; inviteUuid: string }): Promise<EventInvite> {
  return withTransaction(ctx, async (tx, ctx) => {
    const event = await findEventByRef(input.eventRef, { transaction: tx });
    authorizeManage(ctx.actor, event);
    const link = isUuid(input.inviteUuid)
      ? await EventInvite.findOne({ where: { uuid: input.inviteUuid, event_id: event.id, invite_type: 'share_link' }, transaction: tx })
      : null;
    if (!link) throw new NotFound('Share link');
    const now = ctx.now();
    const expiresAt = link.expires_at && link.expires_at < now ? link.expires_at : now;
    const [changed] = await EventInvite.update({ status: 'expired', expires_at: expiresAt }, { where: { id: link.id, status: 'pending' }, transaction: tx });
    if (!changed) throw new Conflict('Share link is already revoked');
    await audit(ctx, {
      action: 'update', command: 'joining.share_link.revoke', object: { type: 'event_invite', id: link.id, uuid: link.uuid },
      oldValues: { status: 'pending' }, newValues: { status: 'expired', expires_at: expiresAt.toISOString() },
    });
    return loadInvite(link.id, tx);
  });
}

/**
 * A signed-in user redeems a share link: their own invite row is created (or their pending one is
 * used) and accepted, then they are seated like any invitee. The gender rule applies here, since a
 * link reaches people the host did not choose one by one.
 */
export async function redeemShareLink(ctx: Context, input: { token: string }): Promise<{ invite: EventInvite } & Seating> {
  return withTransaction(ctx, async (tx, ctx) => {
    const actor = requireActor(ctx.actor);
    const now = ctx.now();
    const hash = hashToken(input.token);
    const link = await EventInvite.findOne({ where: { token_hash: hash, invite_type: 'share_link' }, include: inviteIncludes, transaction: tx });
    if (!link?.event || !link.token_hash || !safeEqual(link.token_hash, hash)) throw new NotFound('Share link');
    const event = link.event;
    if (!inviteLive(link, now)) throw new Conflict('Share link has expired or was revoked');
    if (event.host_id === actor.id) throw new Forbidden('You host this event');
    const closed = closedReason(event, now);
    if (closed) throw new Conflict(closed);
    const profile = await UserProfile.findOne({ where: { user_id: actor.id }, transaction: tx });
    if (!genderAllowed(event.allowed_genders, profile?.gender)) throw new Forbidden('This event is restricted by gender');

    const mine = await EventInvite.findOne({ where: { event_id: event.id, invited_user_id: actor.id }, transaction: tx });
    let invite: EventInvite;
    if (mine) {
      if (!inviteLive(mine, now)) throw new Conflict(`You already have an invite to this event (${mine.status === 'pending' ? 'expired' : mine.status})`);
      invite = mine;
      await answerInvite(ctx, invite, 'accepted', 'joining.share_link.redeem');
    } else {
      // UNIQUE (event_id, invited_user_id) turns a concurrent double redemption into one row and a 409.
      invite = await EventInvite.create({
        event_id: event.id, host_id: link.host_id, invited_user_id: actor.id, invite_type: 'direct', status: 'accepted',
        message: link.message, expires_at: link.expires_at,
      }, { transaction: tx });
      await audit(ctx, {
        action: 'create', command: 'joining.share_link.redeem', object: { type: 'event_invite', id: invite.id, uuid: invite.uuid },
        newValues: { status: 'accepted' }, payload: { share_link: link.uuid },
      });
    }
    const full = await loadInvite(invite.id, tx);
    return { invite: full, ...(await seatInvitee(ctx, full, event)) };
  });
}
