import { Op, literal, type Includeable, type Model, type ModelStatic, type Order, type WhereOptions } from 'sequelize';
import { ValidationFailed } from '../../../lib/errors.js';
import type { Context } from '../../../context.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { isUuid } from '../../../lib/uuid.js';
import { EventAttendee, EventInvite, EventRequest } from '../../../models/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeManageVisible, requireActor } from '../policy.js';
import { attendeeIncludes, inviteIncludes, requestIncludes } from './views.js';
import { withWaitlistPositions } from './waitlist.js';

/*
 * Lists, keyset-paginated on the row id (ids grow with creation, so id order is creation order and
 * the cursor — the last row seen, by uuid — keeps pages stable while rows are added). Host lists run oldest
 * first (a queue to work through); "mine" lists newest first.
 */
export interface PageInput<S> { cursor?: string; pageSize: number; status?: S }
export interface Page<R> { rows: R[]; size: number; cursorOf: (r: R) => string }

// The cursor carries the last row's uuid, never its id (API.md); the id is looked up by the uuid index.
function after(model: ModelStatic<Model>, cursor: string | undefined, dir: 'asc' | 'desc'): WhereOptions {
  const values = decodeCursor(cursor, 1);
  if (!values) return {};
  const uuid = values[0];
  if (typeof uuid !== 'string' || !isUuid(uuid)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  const table = model.getTableName() as string;
  const last = literal(`(SELECT id FROM "${table}" WHERE uuid = ${model.sequelize!.escape(uuid)})`);
  return { id: { [dir === 'asc' ? Op.gt : Op.lt]: last } };
}
const cursorOf = (r: { uuid: string }) => encodeCursor([r.uuid]);
const ASC: Order = [['id', 'ASC']];
const DESC: Order = [['id', 'DESC']];

interface Listable { id: number; uuid: string }

/** One keyset page of `model` rows matching `where`, with the presenters' includes. */
async function pageOf<M extends Model & Listable>(
  model: ModelStatic<M>, where: WhereOptions, include: Includeable[], dir: 'asc' | 'desc', q: PageInput<unknown>,
): Promise<Page<M>> {
  const rows = await model.findAll({
    where: { [Op.and]: [where, after(model as unknown as ModelStatic<Model>, q.cursor, dir)] }, include, order: dir === 'asc' ? ASC : DESC, limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf };
}
const byStatus = (status: string | undefined): WhereOptions => (status ? { status } : {});

export async function listEventRequests(ctx: Context, eventRef: string, q: PageInput<EventRequest['status']>): Promise<Page<EventRequest>> {
  const event = await findEventByRef(eventRef);
  await authorizeManageVisible(ctx.actor, event);
  return positioned(await pageOf(EventRequest, { event_id: event.id, ...byStatus(q.status) }, requestIncludes, 'asc', q));
}

export async function listMyRequests(ctx: Context, q: PageInput<EventRequest['status']>): Promise<Page<EventRequest>> {
  const actor = requireActor(ctx.actor);
  return positioned(await pageOf(EventRequest, { requester_id: actor.id, ...byStatus(q.status) }, requestIncludes, 'desc', q));
}

/** Waitlisted rows of a page get their waitlist_position (one query for the page). */
async function positioned(page: Page<EventRequest>): Promise<Page<EventRequest>> {
  await withWaitlistPositions(page.rows);
  return page;
}

/** My invites. `status=expired` also finds pending invites already past expiry (what the API shows them as). */
export async function listMyInvites(ctx: Context, q: PageInput<EventInvite['status']>): Promise<Page<EventInvite>> {
  const actor = requireActor(ctx.actor);
  const now = ctx.now();
  const live = { [Op.or]: [{ expires_at: null }, { expires_at: { [Op.gt]: now } }] };
  const status: WhereOptions = q.status === 'pending' ? { status: 'pending', ...live }
    : q.status === 'expired' ? { [Op.or]: [{ status: 'expired' }, { status: 'pending', expires_at: { [Op.lte]: now } }] }
      : byStatus(q.status);
  return pageOf(EventInvite, { [Op.and]: [{ invited_user_id: actor.id }, status] }, inviteIncludes, 'desc', q);
}

export async function listAttendees(ctx: Context, eventRef: string, q: PageInput<EventAttendee['status']>): Promise<Page<EventAttendee>> {
  const event = await findEventByRef(eventRef);
  await authorizeManageVisible(ctx.actor, event);
  return pageOf(EventAttendee, { event_id: event.id, ...byStatus(q.status) }, attendeeIncludes, 'asc', q);
}
