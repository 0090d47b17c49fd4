import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Unauthorized } from '../../../lib/errors.js';
import { Event } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { setEventInterests } from '../interests.js';
import { prepareEvent } from '../prepare.js';
import type { EventInput } from '../schema.js';
import { withUniqueSlug } from '../slug.js';

/** Creates a draft event hosted by the actor, with a unique slug derived from its title. */
export async function createEvent(ctx: Context, input: EventInput & { title: string }): Promise<Event> {
  const actor = ctx.actor;
  if (!actor) throw new Unauthorized();
  return withTransaction(ctx, async (tx, ctx) => {
    const { columns, interests = [] } = await prepareEvent(ctx, input, null, tx);
    const event = await withUniqueSlug(tx, input.title, (slug, sp) =>
      Event.create({ ...columns, slug, host_id: actor.id, status: 'draft' } as never, { transaction: sp }));
    await setEventInterests(event.id, interests, tx);
    await audit(ctx, {
      action: 'create', command: 'events.create', object: { type: 'event', id: event.id, uuid: event.uuid },
      newValues: { ...columns, slug: event.slug, status: 'draft', event_interests: interests.map((i) => i.slug) },
    });
    return event;
  });
}
