import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { BusinessRule, Conflict, type FieldError } from '../../../lib/errors.js';
import { MAX_COVER_IMAGES, type Event } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { goingUserIds } from '../audience.js';
import { countActiveInterests } from '../interests.js';
import { nextStatus, type EventAction } from '../lifecycle.js';
import { findEventByRef } from '../lookup.js';
import { authorizeEventWrite } from '../policy.js';
import { applyCancellation, type CancellationEffects } from './cancellation.js';
import { admitFromWaitlist } from '../../joining/commands/index.js';

export interface TransitionOptions {
  /** Cancel only: a note passed on to the people told. */
  reason?: string | null;
  /** Soft delete: cancel and hide (is_active = false). */
  deactivate?: boolean;
}

/** A publishable event is complete: a cover image, 1–5 active interests, and a start still ahead. */
async function assertPublishable(ctx: Context, event: Event): Promise<void> {
  const errors: FieldError[] = [];
  const covers = event.cover_images?.length ?? 0;
  if (covers < 1 || covers > MAX_COVER_IMAGES) errors.push({ field: 'cover_images', message: `needs 1–${MAX_COVER_IMAGES} cover images` });
  const interests = await countActiveInterests(event.id, ctx.transaction!);
  if (interests < 1 || interests > 5) errors.push({ field: 'event_interests', message: 'needs 1–5 active interests' });
  if (event.start_time <= ctx.now()) errors.push({ field: 'start_time', message: 'must be in the future to publish' });
  if (errors.length) throw new BusinessRule(`The event is not ready to publish: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`, errors);
}

/**
 * Moves an event through its lifecycle (host or staff) — the one command behind the API's
 * publish/postpone/cancel/complete/delete and the AdminJS actions. The event row is locked for the
 * whole transaction; lifecycle.ts decides whether the move is allowed.
 */
export async function transitionEvent(ctx: Context, ref: string, action: EventAction, opts: TransitionOptions = {}) {
  return withTransaction(ctx, async (tx, ctx) => {
    const event = await findEventByRef(ref, { transaction: tx, lock: true });
    await authorizeEventWrite(ctx.actor, event, tx);
    const from = { status: event.status, is_active: event.is_active };
    // Deleting an already cancelled event only hides it.
    const to = opts.deactivate && event.status === 'cancelled' ? 'cancelled' : nextStatus(event.status, action);
    let effects: CancellationEffects | undefined;
    if (action === 'publish') await assertPublishable(ctx, event);
    // Completing marks the event as having happened (tickets, payouts follow); not before it starts.
    if (action === 'complete' && event.start_time > ctx.now()) throw new Conflict('Cannot complete this event before it has started');
    if (action === 'cancel' && from.status !== 'cancelled') effects = await applyCancellation(ctx, event, opts.reason ?? null);
    if (action === 'postpone') {
      const recipients = await goingUserIds(event.id, tx);
      await notify(ctx, ...recipients.map((recipientId) => ({
        recipientId, senderId: event.host_id, type: 'event_update' as const, email: true,
        title: `Postponed: ${event.title}`, message: `"${event.title}" has been postponed. The host will share the new date.`,
        reference: { type: 'event', id: event.id }, metadata: { event_uuid: event.uuid, slug: event.slug },
      })));
    }
    await event.update({ status: to, ...(opts.deactivate ? { is_active: false } : {}) }, { transaction: tx });
    // Published again (after a postponement): seats freed while it was closed go to the waitlist now.
    if (to === 'published' && from.status !== 'published') await admitFromWaitlist(ctx, event.id);
    await audit(ctx, {
      action: opts.deactivate ? 'delete' : 'update',
      command: opts.deactivate ? 'events.delete' : `events.${action}`,
      object: { type: 'event', id: event.id, uuid: event.uuid },
      oldValues: from,
      newValues: { status: to, is_active: event.is_active },
      payload: { ...(effects ?? {}), ...(opts.reason ? { reason: opts.reason } : {}) },
      severity: action === 'cancel' ? 'medium' : 'low',
    });
    return event;
  });
}

export const publishEvent = (ctx: Context, ref: string) => transitionEvent(ctx, ref, 'publish');
export const postponeEvent = (ctx: Context, ref: string) => transitionEvent(ctx, ref, 'postpone');
export const completeEvent = (ctx: Context, ref: string) => transitionEvent(ctx, ref, 'complete');
export const cancelEvent = (ctx: Context, ref: string, reason?: string | null) => transitionEvent(ctx, ref, 'cancel', { reason });
/** DELETE = soft delete: cancelled (with every cancellation effect) and inactive. */
export const deleteEvent = (ctx: Context, ref: string) => transitionEvent(ctx, ref, 'cancel', { deactivate: true });
