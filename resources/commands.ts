import { Event, Venue } from '../src/models/index.js';
import type { CommandWrites } from '../src/admin/command-writes.js';
import { panelInput } from '../src/admin/command-writes.js';
import { ValidationFailed } from '../src/lib/errors.js';
import { deleteEvent } from '../src/modules/events/commands/transitions.js';
import { updateEvent } from '../src/modules/events/commands/update.js';
import { EventPatch } from '../src/modules/events/schema.js';
import { createVenue, deleteVenue, updateVenue } from '../src/modules/venues/commands.js';
import { VenueBody, VenuePatch } from '../src/modules/venues/schema.js';

/** The panel form fields each command accepts, with how to read the form's strings. */
const VENUE_FIELDS = {
  name: 'string', address: 'string', city: 'string', venue_type: 'string', capacity: 'number', latitude: 'number', longitude: 'number',
} as const;
export const VENUE_EDIT = Object.keys(VENUE_FIELDS);

const EVENT_FIELDS = {
  title: 'string', description: 'string', venue_text: 'string', start_time: 'date', end_time: 'date', max_capacity: 'number',
  is_paid: 'boolean', ticket_price: 'string', allow_plus_one: 'boolean', allowed_genders: 'string', gst_number: 'string', is_public: 'boolean',
} as const;
export const EVENT_EDIT = [...Object.keys(EVENT_FIELDS), 'venue_id'];

/** Venues: created, changed and deleted (soft when events use them) by the venue commands. */
export const venueWrites: CommandWrites = {
  create: (ctx, values) => createVenue(ctx, panelInput(VenueBody, values, VENUE_FIELDS)),
  update: async (ctx, row, values) => {
    await updateVenue(ctx, String(row.get('uuid')), panelInput(VenuePatch, values, VENUE_FIELDS));
  },
  delete: async (ctx, row) => {
    await deleteVenue(ctx, String(row.get('uuid')));
  },
};

/** Events: details change through updateEvent (slug rules, capacity vs seats, attendee notices); delete is soft. */
export const eventWrites: CommandWrites = {
  update: async (ctx, row, values) => {
    const input = panelInput(EventPatch, values, EVENT_FIELDS);
    if ('venue_id' in values) {
      const id = values.venue_id === null || values.venue_id === '' ? null : Number(values.venue_id);
      const venue = id === null ? null : await Venue.findByPk(id, { transaction: ctx.transaction });
      if (id !== null && !venue) throw ValidationFailed.field('venue_id', 'is not a venue');
      if (venue?.id !== (row as Event).venue_id) Object.assign(input, { venue: venue?.uuid ?? null });
    }
    await updateEvent(ctx, String(row.get('uuid')), input);
  },
  // As the API's DELETE: cancelled and inactive (attendees notified, holds released, refunds recorded).
  delete: async (ctx, row) => {
    await deleteEvent(ctx, String(row.get('uuid')));
  },
};
