import { QueryTypes, type Includeable, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { NotFound } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/uuid.js';
import { sequelize } from '../../../db/connection.js';
import { AuthUser, Event, EventRequest, UserProfile } from '../../../models/index.js';

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

/** `alias.col AS "prefix.col"` for every column of a model (attributes are the column names here: underscored models). */
const columnsOf = (alias: string, prefix: string, model: { getAttributes(): Record<string, { field?: string }> }) =>
  Object.entries(model.getAttributes()).map(([name, a]) => `${alias}.${a.field ?? name} AS "${prefix}${name}"`).join(', ');

/**
 * `EventRequest.findOne({ where: { uuid }, include: requestIncludes })` as one constant query built
 * once from the models: the include's client CPU dominated an accept (docs/decisions/0421-accept-in-one-sql-call.md).
 */
let requestWithPeople: string | undefined;
const requestWithPeopleSql = () => (requestWithPeople ??= `SELECT ${columnsOf('r', 'r.', EventRequest)}, ${columnsOf('e', 'e.', Event)},
    u.id AS "u.id", u.uuid AS "u.uuid", p.user_id AS "p.user_id", p.name AS "p.name", p.gender AS "p.gender"
  FROM event_request r
  LEFT JOIN event e ON e.id = r.event_id
  LEFT JOIN auth_user u ON u.id = r.requester_id
  LEFT JOIN user_profile p ON p.user_id = u.id
 WHERE r.uuid = $uuid`);

export async function findRequestWithPeople(uuid: string, transaction?: Transaction): Promise<EventRequest | null> {
  const [row] = await sequelize().query<Record<string, unknown>>(requestWithPeopleSql(), { bind: { uuid }, transaction, type: QueryTypes.SELECT });
  if (!row) return null;
  const part = (prefix: string) => Object.fromEntries(
    Object.entries(row).filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]),
  ) as never;
  const built = { raw: true, isNewRecord: false };
  const request = EventRequest.build(part('r.'), built);
  const requester = row['u.id'] == null ? null : AuthUser.build(part('u.'), built);
  // A user without a profile row reads as `profile: null`, as the LEFT JOIN include gives it.
  if (requester) Object.assign(requester, { profile: row['p.user_id'] == null ? null : UserProfile.build(part('p.'), built) });
  request.event = row['e.id'] == null ? undefined : Event.build(part('e.'), built);
  request.requester = requester as never;
  return request;
}

/** Loads a request by uuid (and, from event paths, within that event) with what presenting needs. */
export async function loadRequest(ctx: Context, uuid: string, eventRef?: string): Promise<EventRequest & { event: Event }> {
  if (!isUuid(uuid)) throw new NotFound('Request');
  const request = await findRequestWithPeople(uuid, ctx.transaction);
  const ev = request?.event;
  if (!request || !ev || (eventRef !== undefined && !refersTo(eventRef, ev))) {
    throw new NotFound('Request');
  }
  return request as EventRequest & { event: Event };
}
