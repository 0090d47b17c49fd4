import type { Context } from '../../../context.js';
import { isStaff } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict } from '../../../lib/errors.js';
import { audit } from '../../audit/writer.js';
import { notify } from '../../notifications/writer.js';
import { goingUserIds } from '../audience.js';
import { diff } from '../changes.js';
import { setEventInterests } from '../interests.js';
import { isAnnounced, isEditable } from '../lifecycle.js';
import { findEventByRef } from '../lookup.js';
import { authorizeEventWrite } from '../policy.js';
import { prepareEvent } from '../prepare.js';
import type { EventInput } from '../schema.js';
import { withUniqueSlug } from '../slug.js';
import { EventInterestMap, type Event } from '../../../models/index.js';
import { admitFromWaitlist } from '../../joining/commands/index.js';

/** Fields whose change is news to the people going. */
const NEWSWORTHY = ['start_time', 'end_time', 'venue_id', 'venue_text'];

/**
 * Changes an event's details (host or staff). A draft's slug follows its title; once published the
 * slug is stable. Going attendees of a published or postponed event hear about new times or place.
 */
export async function updateEvent(ctx: Context, ref: string, input: EventInput): Promise<Event> {
  return withTransaction(ctx, async (tx, ctx) => {
    const event = await findEventByRef(ref, { transaction: tx, lock: true });
    await authorizeEventWrite(ctx.actor, event, tx);
    if (!isEditable(event.status) && !isStaff(ctx.actor)) throw new Conflict(`A ${event.status} event can no longer be changed`);
    const { columns, interests } = await prepareEvent(ctx, input, event, tx);
    const { oldValues, newValues } = diff(event, columns);

    if (interests) {
      const links = await EventInterestMap.findAll({ where: { event_id: event.id }, include: ['interest'], transaction: tx });
      const before = links.map((l) => l.interest!.slug).sort();
      const after = interests.map((i) => i.slug).sort();
      if (before.join() !== after.join()) {
        await setEventInterests(event.id, interests, tx);
        oldValues.event_interests = before;
        newValues.event_interests = after;
      }
    }
    if (Object.keys(newValues).length === 0) return event;

    const write = Object.fromEntries(Object.keys(newValues).filter((k) => k in columns).map((k) => [k, columns[k]]));
    if ('title' in write && event.status === 'draft') {
      const oldSlug = event.slug;
      await withUniqueSlug(tx, String(write.title), (slug, sp) => event.update({ ...write, slug }, { transaction: sp }));
      if (event.slug !== oldSlug) {
        oldValues.slug = oldSlug;
        newValues.slug = event.slug;
      }
    } else if (Object.keys(write).length) {
      await event.update(write, { transaction: tx });
    }
    await audit(ctx, {
      action: 'update', command: 'events.update', object: { type: 'event', id: event.id, uuid: event.uuid }, oldValues, newValues,
    });
    // More seats (or unlimited): the waitlist gets them in this transaction.
    if ('max_capacity' in newValues) await admitFromWaitlist(ctx, event.id);

    const changed = NEWSWORTHY.filter((k) => k in newValues);
    if (isAnnounced(event.status) && changed.length) {
      const recipients = await goingUserIds(event.id, tx);
      await notify(ctx, ...recipients.map((recipientId) => ({
        recipientId, senderId: event.host_id, type: 'event_update' as const, email: true,
        title: `Update: ${event.title}`,
        message: `The ${changed.includes('venue_id') || changed.includes('venue_text') ? 'place' : 'time'} of "${event.title}" changed. `
          + `It now starts ${event.start_time.toISOString()}.`,
        reference: { type: 'event', id: event.id },
        metadata: { event_uuid: event.uuid, slug: event.slug, changed },
      })));
    }
    return event;
  });
}
