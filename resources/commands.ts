import type { Model } from 'sequelize';
import type { Context } from '../src/context.js';
import { Event, EventImage, EventInterest, EventInterestMap, Venue } from '../src/models/index.js';
import type { CommandWrites } from '../src/admin/command-writes.js';
import { panelInput } from '../src/admin/command-writes.js';
import { AppError, ValidationFailed } from '../src/lib/errors.js';
import { deleteEvent } from '../src/modules/events/commands/transitions.js';
import { updateEvent } from '../src/modules/events/commands/update.js';
import { addEventImage, removeEventImage, reorderEventImages } from '../src/modules/events/commands/images.js';
import { EventPatch, ImageBody } from '../src/modules/events/schema.js';
import { changeRequestSeats } from '../src/modules/joining/commands/index.js';
import { createVenue, deleteVenue, updateVenue } from '../src/modules/venues/commands.js';
import {
  createAccountAsStaff, updateAccountAsStaff, updateProfileAsStaff, type StaffAccountInput, type StaffAccountOptions,
} from '../src/modules/auth/commands/index.js';
import { UpdateProfileBody } from '../src/modules/auth/schema.js';
import { requireReauth } from '../src/admin/reauth.js';
import { VenueBody, VenuePatch } from '../src/modules/venues/schema.js';

/** The panel form fields each command accepts, with how to read the form's strings. */
const VENUE_FIELDS = {
  name: 'string', address: 'string', city: 'string', venue_type: 'string', capacity: 'number', latitude: 'number', longitude: 'number',
} as const;
export const VENUE_EDIT = Object.keys(VENUE_FIELDS);

const EVENT_FIELDS = {
  title: 'string', description: 'string', venue_text: 'string', start_time: 'date', end_time: 'date', max_capacity: 'number',
  is_paid: 'boolean', ticket_price: 'string', allow_plus_one: 'boolean', waitlist_enabled: 'boolean', allowed_genders: 'string', gst_number: 'string', is_public: 'boolean',
} as const;
export const EVENT_EDIT = [...Object.keys(EVENT_FIELDS), 'venue_id', 'cover_images'];

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

/**
 * A list field (cover images, profile pictures) only when the form changed it: the form always
 * sends the whole record, and an untouched list (empty on a draft, an old external URL) must not
 * be re-validated by an edit of another field.
 */
function changedList(row: Model, values: Record<string, unknown>, field: string): Record<string, unknown> {
  if (!(field in values)) return {};
  const sent = values[field] === null || values[field] === '' ? [] : values[field];
  return JSON.stringify(sent) === JSON.stringify(row.get(field) ?? []) ? {} : { [field]: sent };
}

/** Events: details change through updateEvent (slug rules, capacity vs seats, attendee notices); delete is soft. */
export const eventWrites: CommandWrites = {
  update: async (ctx, row, values) => {
    const input = {
      ...panelInput(EventPatch, values, EVENT_FIELDS),
      ...panelInput(EventPatch, changedList(row, values, 'cover_images'), { cover_images: 'list' }),
    };
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

/** The account form → the staff account commands' input (a new password arrives as `new_password`). */
function accountInput(values: Record<string, unknown>): StaffAccountInput {
  const input: StaffAccountInput = {};
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  if ('username' in values) input.username = text(values.username);
  if ('email' in values) input.email = text(values.email) || null;
  if ('first_name' in values) input.first_name = text(values.first_name);
  if ('last_name' in values) input.last_name = text(values.last_name);
  if ('is_staff' in values) input.is_staff = values.is_staff === true || values.is_staff === 'true';
  if ('is_superuser' in values) input.is_superuser = values.is_superuser === true || values.is_superuser === 'true';
  if (typeof values.new_password === 'string' && values.new_password) input.password = values.new_password;
  return input;
}

/** The commands name the account's `password`; the form's field for it is `new_password`. */
async function onPasswordField<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof AppError) || !err.errors.some((e) => e.field === 'password')) throw err;
    const errors = err.errors.map((e) => (e.field === 'password' ? { ...e, field: 'new_password' } : e));
    throw new AppError(err.status, err.title, err.message, errors, err.headers);
  }
}

/** The form-only field where staff re-enter their own password to change roles (never stored or echoed). */
export const REAUTH_PASSWORD_FIELD = 'reauth_password';

/**
 * Role changes (is_staff, is_superuser) ask the acting staff member's password again: the command
 * calls this only when a role really changes; a refusal lands on the password field.
 */
function roleChangeReauth(values: Record<string, unknown>): StaffAccountOptions {
  const given = values[REAUTH_PASSWORD_FIELD];
  const password = typeof given === 'string' && given ? given : undefined;
  return {
    confirmRoleChange: async (ctx) => {
      try {
        await requireReauth(ctx, password, 'change staff roles');
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        throw new AppError(err.status, err.title, err.message, [{ field: REAUTH_PASSWORD_FIELD, message: err.message }], err.headers);
      }
    },
  };
}

/** Accounts: created and changed by the auth staff commands (who may change identity, privileges, passwords). */
export const userWrites: CommandWrites = {
  create: (ctx, values) => onPasswordField(() => createAccountAsStaff(ctx, accountInput(values), roleChangeReauth(values))),
  update: async (ctx, row, values) => {
    await onPasswordField(() => updateAccountAsStaff(ctx, String(row.get('uuid')), accountInput(values), roleChangeReauth(values)));
  },
};

/** Profiles: staff change a member's pictures (uploaded or linked) through the profile command. */
export const profileWrites: CommandWrites = {
  update: async (ctx, row, values) => {
    const changed = changedList(row, values, 'profile_pictures');
    if (!('profile_pictures' in changed)) return;
    await updateProfileAsStaff(ctx, String(row.get('uuid')), panelInput(UpdateProfileBody, changed, { profile_pictures: 'list' }));
  },
};
export const PROFILE_EDIT = ['profile_pictures'];

/** The event a panel row points at (by its id), or a field error on `event_id`. */
async function eventOf(ctx: Context, id: unknown): Promise<Event> {
  const n = Number(id);
  const event = Number.isSafeInteger(n) ? await Event.findByPk(n, { transaction: ctx.transaction }) : null;
  if (!event) throw ValidationFailed.field('event_id', 'is not an event');
  return event;
}

const unchangeable = (row: Model, values: Record<string, unknown>, field: string, why: string) => {
  if (field in values && String(values[field] ?? '') !== String(row.get(field) ?? '')) throw ValidationFailed.field(field, why);
};

/** Moves one image to `position` through reorderEventImages (positions stay 0..n−1). */
async function moveImage(ctx: Context, event: Event, imageUuid: string, position: unknown): Promise<void> {
  const images = await EventImage.findAll({ where: { event_id: event.id }, order: [['position', 'ASC'], ['id', 'ASC']], transaction: ctx.transaction });
  const to = Number(position);
  if (!Number.isSafeInteger(to) || to < 0 || to >= images.length) {
    throw ValidationFailed.field('position', `must be a whole number from 0 to ${images.length - 1}`);
  }
  const order = images.map((i) => i.uuid).filter((u) => u !== imageUuid);
  order.splice(to, 0, imageUuid);
  await reorderEventImages(ctx, event.uuid, order);
}

/** Event images: added at the end, moved, and removed by the events image commands (limit, dense positions). */
export const eventImageWrites: CommandWrites = {
  create: async (ctx, values) => {
    const event = await eventOf(ctx, values.event_id);
    const body = panelInput(ImageBody, values, { image_url: 'string' });
    const image = await addEventImage(ctx, event.uuid, body.image_url);
    if (values.position !== undefined && values.position !== null && values.position !== '' && Number(values.position) !== image.position) {
      await moveImage(ctx, event, image.uuid, values.position);
    }
    return image;
  },
  update: async (ctx, row, values) => {
    unchangeable(row, values, 'event_id', 'cannot be changed: add the image to the other event instead');
    unchangeable(row, values, 'image_url', 'cannot be changed: delete this image and add the new one');
    const image = row as EventImage;
    if ('position' in values && Number(values.position) !== image.position) {
      await moveImage(ctx, await eventOf(ctx, image.event_id), image.uuid, values.position);
    }
  },
  delete: async (ctx, row) => {
    const image = row as EventImage;
    await removeEventImage(ctx, (await eventOf(ctx, image.event_id)).uuid, image.uuid);
  },
};

/** The uuids of an event's interests, in a stable order. */
async function interestUuidsOf(ctx: Context, eventId: number): Promise<string[]> {
  const links = await EventInterestMap.findAll({ where: { event_id: eventId }, include: ['interest'], order: [['id', 'ASC']], transaction: ctx.transaction });
  return links.map((l) => l.interest!.uuid);
}

async function setInterests(ctx: Context, event: Event, uuids: string[]): Promise<void> {
  await updateEvent(ctx, event.uuid, panelInput(EventPatch, { event_interests: uuids }, { event_interests: 'list' }));
}

/** An event's interests: added and removed through updateEvent, which keeps them 1–5, active and distinct. */
export const eventInterestWrites: CommandWrites = {
  create: async (ctx, values) => {
    const event = await eventOf(ctx, values.event_id);
    const n = Number(values.eventinterest_id);
    const interest = Number.isSafeInteger(n) ? await EventInterest.findByPk(n, { transaction: ctx.transaction }) : null;
    if (!interest) throw ValidationFailed.field('eventinterest_id', 'is not an interest');
    await setInterests(ctx, event, [...(await interestUuidsOf(ctx, event.id)), interest.uuid]);
    return (await EventInterestMap.findOne({ where: { event_id: event.id, eventinterest_id: interest.id }, transaction: ctx.transaction }))!;
  },
  delete: async (ctx, row) => {
    const link = row as EventInterestMap;
    const event = await eventOf(ctx, link.event_id);
    const interest = await EventInterest.findByPk(link.eventinterest_id, { transaction: ctx.transaction });
    await setInterests(ctx, event, (await interestUuidsOf(ctx, event.id)).filter((u) => u !== interest?.uuid));
  },
};

/** A request's seats: changed by changeRequestSeats (the event's per-person limit and capacity). */
export const requestWrites: CommandWrites = {
  update: async (ctx, row, values) => {
    if (!('seats_requested' in values)) return;
    await changeRequestSeats(ctx, { requestUuid: String(row.get('uuid')), seats: Number(values.seats_requested) });
  },
};
