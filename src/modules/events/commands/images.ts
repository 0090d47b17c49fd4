import type { Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { isStaff } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { BusinessRule, Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { EventImage, type Event } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { isEditable } from '../lifecycle.js';
import { findEventByRef } from '../lookup.js';
import { isUuid } from '../../../lib/uuid.js';
import { authorizeEventWrite } from '../policy.js';
import { imagesOf } from '../views.js';

export const MAX_EVENT_IMAGES = 20;

/**
 * Event gallery images. Positions are dense (0..n−1) after every change. Each command locks the
 * event row, so concurrent adds, deletes and reorders of one event queue up instead of producing
 * duplicate or missing positions.
 */
async function lockedEvent(ctx: Context, ref: string, tx: Transaction): Promise<Event> {
  const event = await findEventByRef(ref, { transaction: tx, lock: true });
  await authorizeEventWrite(ctx.actor, event, tx);
  if (!isEditable(event.status) && !isStaff(ctx.actor)) throw new Conflict(`A ${event.status} event can no longer be changed`);
  return event;
}

/** Rewrites positions as 0..n−1 in the given order (only rows whose position moves are written). */
async function renumber(images: EventImage[], tx: Transaction): Promise<EventImage[]> {
  for (const [index, image] of images.entries()) {
    if (image.position !== index) await image.update({ position: index }, { transaction: tx });
  }
  return images;
}

export async function addEventImage(ctx: Context, ref: string, imageUrl: string): Promise<EventImage> {
  return withTransaction(ctx, async (tx, ctx) => {
    const event = await lockedEvent(ctx, ref, tx);
    const images = await imagesOf(event.id, tx);
    if (images.length >= MAX_EVENT_IMAGES) {
      throw new BusinessRule(`An event has at most ${MAX_EVENT_IMAGES} images`, [{ field: 'image_url', message: 'too many images' }]);
    }
    const image = await EventImage.create({ event_id: event.id, image_url: imageUrl, position: images.length }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'events.add_image', object: { type: 'event_image', id: image.id, uuid: image.uuid },
      newValues: { event_uuid: event.uuid, image_url: imageUrl, position: image.position },
    });
    return image;
  });
}

export async function removeEventImage(ctx: Context, ref: string, imageUuid: string): Promise<void> {
  await withTransaction(ctx, async (tx, ctx) => {
    const event = await lockedEvent(ctx, ref, tx);
    const images = await imagesOf(event.id, tx);
    const image = isUuid(imageUuid) ? images.find((i) => i.uuid === imageUuid.toLowerCase()) : undefined;
    if (!image) throw new NotFound('Image');
    await image.destroy({ transaction: tx });
    await renumber(images.filter((i) => i !== image), tx);
    await audit(ctx, {
      action: 'delete', command: 'events.remove_image', object: { type: 'event_image', id: image.id, uuid: image.uuid },
      oldValues: { event_uuid: event.uuid, image_url: image.image_url, position: image.position },
    });
  });
}

/** Puts the images in the order of `uuids`, which must name every image of the event exactly once. */
export async function reorderEventImages(ctx: Context, ref: string, uuids: string[]): Promise<EventImage[]> {
  return withTransaction(ctx, async (tx, ctx) => {
    const event = await lockedEvent(ctx, ref, tx);
    const images = await imagesOf(event.id, tx);
    const byUuid = new Map(images.map((i) => [i.uuid, i]));
    const wanted = uuids.map((u) => u.toLowerCase());
    if (wanted.length !== images.length || !wanted.every((u) => byUuid.has(u))) {
      throw ValidationFailed.field('uuids', 'must list every image of the event exactly once');
    }
    const before = images.map((i) => i.uuid);
    const ordered = await renumber(wanted.map((u) => byUuid.get(u)!), tx);
    await audit(ctx, {
      action: 'update', command: 'events.reorder_images', object: { type: 'event', id: event.id, uuid: event.uuid },
      oldValues: { image_order: before }, newValues: { image_order: wanted },
    });
    return ordered;
  });
}
