import {
  ALLOWED_GENDERS, EVENT_STATUSES, Event, EventImage, EventInterestMap, INVITE_STATUSES, INVITE_TYPES, EventInvite, MAX_COVER_IMAGES, VENUE_TYPES, Venue,
} from '../src/models/index.js';
import {
  NAV, choices, imageField, jsonShow, newestFirst, noBulkDelete, shownOnly, type ResourceList, withOptions,
} from '../src/admin/resource-options.js';
import { eventActions } from './actions/events.js';
import { eventMoneyProperties, withEventMoney } from './actions/payments.js';
import { EVENT_EDIT, VENUE_EDIT, eventImageWrites, eventInterestWrites, eventWrites, venueWrites } from './commands.js';

/**
 * Events domain: venues, events, interests map, images, invites. Every write goes through an events
 * command; counters and statuses are read-only here (the commands keep them, notify and audit).
 */
export const eventsResources: ResourceList = (make) => [
  // Venues are few: their names are searched by substring (the reference picker needs it).
  // Venue writes go through the venue commands (created_by, soft delete when events use it).
  withOptions(make(Venue, { substring: ['name', 'city'], commands: venueWrites }), {
    navigation: NAV.events,
    sort: newestFirst,
    listProperties: ['id', 'name', 'city', 'venue_type', 'capacity', 'is_active'],
    filterProperties: ['name', 'city', 'venue_type', 'is_active', 'created_by_id'],
    editProperties: VENUE_EDIT,
    properties: { name: { isTitle: true }, venue_type: choices(VENUE_TYPES), address: { type: 'textarea' }, metadata: jsonShow },
  }),
  // Event details change through updateEvent (the API's rules and attendee notices); events are
  // created by hosts in the app, so the panel has no "new" for them.
  withOptions(make(Event, { readOnly: ['going_count', 'requests_count', 'status'], substring: ['title'], commands: eventWrites }), {
    navigation: NAV.events,
    sort: newestFirst,
    listProperties: ['id', 'cover_images', 'title', 'host_id', 'start_time', 'status', 'going_count', 'max_capacity', 'is_paid', 'ticket_price'],
    filterProperties: ['title', 'status', 'host_id', 'venue_id', 'start_time'],
    editProperties: EVENT_EDIT,
    properties: {
      title: { isTitle: true },
      description: { type: 'textarea' },
      // Status moves only through the event commands (publish, cancel…), which notify and audit.
      status: { ...choices(EVENT_STATUSES), ...shownOnly },
      allowed_genders: choices(ALLOWED_GENDERS),
      going_count: shownOnly,
      requests_count: shownOnly,
      // Uploaded in the form (or linked), saved through updateEvent with the other fields.
      cover_images: imageField({ max: MAX_COVER_IMAGES }),
      // Revenue, refunds and fees of the event (payments' report), on its show page only.
      ...eventMoneyProperties,
    },
    actions: { ...noBulkDelete, new: { isAccessible: false }, show: { after: withEventMoney }, ...eventActions },
  }),
  // Added and removed through updateEvent (1–5 active, distinct interests); a link is never edited.
  withOptions(make(EventInterestMap, { commands: eventInterestWrites }), {
    navigation: NAV.events,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'eventinterest_id', 'created_at'],
    filterProperties: ['event_id', 'eventinterest_id'],
  }),
  // Added, moved and removed through the events image commands (at most 20, positions 0..n−1).
  withOptions(make(EventImage, { commands: eventImageWrites }), {
    navigation: NAV.events,
    sort: newestFirst,
    listProperties: ['id', 'image_url', 'event_id', 'position'],
    filterProperties: ['event_id'],
    editProperties: ['event_id', 'image_url', 'position'],
    properties: { image_url: { isTitle: true, ...imageField({ fixed: true }) } },
  }),
  // Invites are the hosts' (sent, accepted and revoked in the app): read-only here.
  withOptions(make(EventInvite, { secrets: ['token_hash'], readOnly: ['status'] }), {
    navigation: NAV.events,
    sort: newestFirst,
    listProperties: ['id', 'event_id', 'invited_user_id', 'invite_type', 'status', 'expires_at', 'created_at'],
    filterProperties: ['event_id', 'invited_user_id', 'host_id'],
    properties: { uuid: { isTitle: true }, invite_type: choices(INVITE_TYPES), status: { ...choices(INVITE_STATUSES), ...shownOnly }, message: { type: 'textarea' } },
    actions: noBulkDelete,
  }),
];
