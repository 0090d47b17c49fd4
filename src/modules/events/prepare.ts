import type { Transaction } from 'sequelize';
import type { Context } from '../../context.js';
import { ValidationFailed, type FieldError } from '../../lib/errors.js';
import { formatMoney, toMinor } from '../../lib/money.js';
import { Venue, type Event, type EventInterest } from '../../models/index.js';
import { isAnnounced } from './lifecycle.js';
import { resolveInterests } from './interests.js';
import type { EventInput } from './schema.js';
// The held term of the capacity rule has one definition, in the joining domain that owns holds.
import { heldSeats } from '../joining/commands/capacity.js';

export interface Prepared {
  /** Column values to write (only the fields the input names). */
  columns: Record<string, unknown>;
  interests?: EventInterest[];
}

const PLAIN = [
  'title', 'description', 'start_time', 'end_time', 'venue_text', 'max_capacity', 'is_paid', 'allow_plus_one', 'waitlist_enabled',
  'allowed_genders', 'gst_number', 'cover_images', 'is_public',
] as const;

/**
 * Turns API input into column values and checks the rules that need the stored event or other
 * rows: times and price against the fields not sent, capacity against the seats already going,
 * venue and interests against the database. Every failure names its field; nothing is written.
 */
export async function prepareEvent(ctx: Context, input: EventInput, current: Event | null, tx: Transaction): Promise<Prepared> {
  const columns: Record<string, unknown> = {};
  for (const key of PLAIN) if (input[key] !== undefined) columns[key] = input[key];
  if (input.ticket_price !== undefined) columns.ticket_price = formatMoney(input.ticket_price);
  const errors: FieldError[] = [];

  if (input.venue !== undefined) {
    if (input.venue === null) columns.venue_id = null;
    else {
      const venue = await Venue.findOne({ where: { uuid: input.venue.toLowerCase() }, attributes: ['id', 'is_active'], transaction: tx });
      // A venue deactivated after it was chosen may stay on the event; new links need an active one.
      if (!venue || (!venue.is_active && venue.id !== current?.venue_id)) errors.push({ field: 'venue', message: 'unknown or inactive venue' });
      else columns.venue_id = venue.id;
    }
  }

  const merged = <K extends keyof Event>(key: K): Event[K] => (key in columns ? columns[key as string] : current?.[key]) as Event[K];
  const start = merged('start_time');
  const end = merged('end_time');
  if (start && end && end <= start) errors.push({ field: 'end_time', message: 'must be after start_time' });
  const paid = merged('is_paid') ?? false;
  const price = toMinor(merged('ticket_price') ?? '0', 'ticket_price');
  if (paid && !(price > 0)) errors.push({ field: 'ticket_price', message: 'must be greater than 0 for a paid event' });
  if (!paid && price !== 0) errors.push({ field: 'ticket_price', message: 'must be 0 for a free event' });
  const capacity = merged('max_capacity') ?? 0;
  if (current && capacity > 0 && capacity !== current.max_capacity) {
    // Held seats count too: a hold that is paid for later becomes a going seat.
    const taken = current.going_count + (await heldSeats(current.id, ctx.now(), tx));
    if (capacity < taken) errors.push({ field: 'max_capacity', message: `must not be below the ${taken} seats already going or held (0 = unlimited)` });
  }
  if (current && isAnnounced(current.status) && columns.start_time && (columns.start_time as Date).getTime() !== current.start_time.getTime()
    && (columns.start_time as Date) <= ctx.now()) {
    errors.push({ field: 'start_time', message: 'must be in the future for a published event' });
  }

  let interests: EventInterest[] | undefined;
  if (input.event_interests !== undefined) {
    try {
      interests = await resolveInterests(input.event_interests, tx);
    } catch (err) {
      if (!(err instanceof ValidationFailed)) throw err;
      errors.push(...err.errors);
    }
  }
  if (errors.length) throw new ValidationFailed(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
  return { columns, interests };
}
