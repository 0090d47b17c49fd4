import type { Context } from '../../../context.js';
import { NotFound } from '../../../lib/errors.js';
import type { Event } from '../../../models/index.js';
import { findVisibleEvent } from '../../events/policy.js';
import { figuresOf, type Figures } from './figures.js';

/** The event `ref` if the actor may see it (the events module's rule: private and draft events are 404 to strangers). */
export const findWatchableEvent = (ctx: Context, ref: string): Promise<Event> => findVisibleEvent(ctx.actor, ref);

/** The availability of an event the actor may see. */
export async function readAvailability(ctx: Context, ref: string): Promise<Figures> {
  const event = await findWatchableEvent(ctx, ref);
  const [figures] = await figuresOf([event.id], ctx.now());
  if (!figures) throw new NotFound('Event');
  return figures;
}
