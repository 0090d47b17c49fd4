import type { Includeable } from 'sequelize';
import { AuthUser, Event, UserProfile } from '../../../models/index.js';

/** What the presenters need loaded with a row: the event summary and people's profile names. */
const person = (as: string): Includeable => ({
  model: AuthUser, as, attributes: ['id', 'uuid'],
  include: [{ model: UserProfile, as: 'profile', attributes: ['name', 'gender'] }],
});

export const requestIncludes: Includeable[] = [{ model: Event, as: 'event' }, person('requester')];
export const inviteIncludes: Includeable[] = [{ model: Event, as: 'event' }, person('host'), person('invited_user')];
export const attendeeIncludes: Includeable[] = [person('user')];

/** Whether a path's `{event}` (uuid in any case, or slug) names this event. */
export const refersTo = (ref: string, event: Pick<Event, 'uuid' | 'slug'>): boolean =>
  ref === event.slug || ref.toLowerCase() === event.uuid;
