import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { CapacityReservation, EventInvite, EventRequest, type Event } from '../../../models/index.js';
import { notify } from '../../notifications/writer.js';
import { emitHostEvent, hostEvents } from '../../webhooks/index.js';
import { refundPaidOrdersForEvent } from '../../payments/refund-event.js';
import { goingUserIds, pendingRequesterIds } from '../audience.js';

export interface CancellationEffects {
  notified: number;
  requests_expired: number;
  invites_expired: number;
  holds_released: number;
  refunds_recorded: number;
}

/**
 * What cancelling an event does besides changing its status. Runs inside the cancel command's
 * transaction with the event row locked, so no request, acceptance or hold can slip in between:
 * going attendees and pending or waitlisted requesters are told, those requests and pending invites expire (and the
 * event's requests_count is zeroed to match), unconsumed holds are released, and paid orders get a
 * refund recorded.
 */
export async function applyCancellation(ctx: Context, event: Event, reason: string | null): Promise<CancellationEffects> {
  const tx = ctx.transaction!;
  const now = ctx.now();
  const recipients = [...new Set([...(await goingUserIds(event.id, tx)), ...(await pendingRequesterIds(event.id, tx))])];
  await notify(ctx, ...recipients.filter((id) => id !== event.host_id).map((recipientId) => ({
    recipientId, senderId: event.host_id, type: 'event_cancelled' as const, email: true,
    title: `Cancelled: ${event.title}`,
    message: `"${event.title}" has been cancelled.${reason ? ` ${reason}` : ''} Paid tickets are refunded.`,
    reference: { type: 'event', id: event.id },
    metadata: { event_uuid: event.uuid, slug: event.slug, ...(reason ? { reason } : {}) },
  })));
  // The waitlist is cleared like the pending requests (before the refunds below free any seat).
  const [requests] = await EventRequest.update(
    { status: 'expired', waitlist_seq: null, updated_at: now },
    { where: { event_id: event.id, status: ['pending', 'waitlisted'] }, transaction: tx },
  );
  const [invites] = await EventInvite.update(
    { status: 'expired', updated_at: now },
    { where: { event_id: event.id, status: 'pending' }, transaction: tx },
  );
  await event.update({ requests_count: 0 }, { transaction: tx });
  const [holds] = await CapacityReservation.update(
    { released_at: now, updated_at: now },
    { where: { event_id: event.id, consumed: false, released_at: { [Op.is]: null } }, transaction: tx },
  );
  await emitHostEvent(ctx, hostEvents.eventCancelled(event, reason));
  const refunds = await refundPaidOrdersForEvent(ctx, event);
  return { notified: recipients.length, requests_expired: requests, invites_expired: invites, holds_released: holds, refunds_recorded: refunds.length };
}
