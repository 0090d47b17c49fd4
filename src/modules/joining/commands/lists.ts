import { Op, type Order, type WhereOptions } from 'sequelize';
import { ValidationFailed } from '../../../lib/errors.js';
import type { Context } from '../../../context.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { EventAttendee, EventInvite, EventRequest } from '../../../models/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeManage, requireActor } from '../policy.js';
import { attendeeIncludes, inviteIncludes, requestIncludes } from './views.js';

/*
 * Lists, keyset-paginated on the row id (ids grow with creation, so id order is creation order and
 * the cursor — the last id seen — keeps pages stable while rows are added). Host lists run oldest
 * first (a queue to work through); "mine" lists newest first.
 */
export interface PageInput<S> { cursor?: string; pageSize: number; status?: S }
export interface Page<R> { rows: R[]; size: number; cursorOf: (r: R) => string }

function after(cursor: string | undefined, dir: 'asc' | 'desc'): WhereOptions {
  const values = decodeCursor(cursor, 1);
  if (!values) return {};
  const id = values[0];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  return { id: { [dir === 'asc' ? Op.gt : Op.lt]: id } };
}
const cursorOf = (r: { id: number }) => encodeCursor([r.id]);
const ASC: Order = [['id', 'ASC']];
const DESC: Order = [['id', 'DESC']];

export async function listEventRequests(ctx: Context, eventRef: string, q: PageInput<EventRequest['status']>): Promise<Page<EventRequest>> {
  const event = await findEventByRef(eventRef);
  authorizeManage(ctx.actor, event);
  const rows = await EventRequest.findAll({
    where: { event_id: event.id, ...(q.status ? { status: q.status } : {}), ...after(q.cursor, 'asc') },
    include: requestIncludes, order: ASC, limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf };
}

export async function listMyRequests(ctx: Context, q: PageInput<EventRequest['status']>): Promise<Page<EventRequest>> {
  const actor = requireActor(ctx.actor);
  const rows = await EventRequest.findAll({
    where: { requester_id: actor.id, ...(q.status ? { status: q.status } : {}), ...after(q.cursor, 'desc') },
    include: requestIncludes, order: DESC, limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf };
}

/** My invites. `status=expired` also finds pending invites already past expiry (what the API shows them as). */
export async function listMyInvites(ctx: Context, q: PageInput<EventInvite['status']>): Promise<Page<EventInvite>> {
  const actor = requireActor(ctx.actor);
  const now = ctx.now();
  const live = { [Op.or]: [{ expires_at: null }, { expires_at: { [Op.gt]: now } }] };
  const byStatus: WhereOptions = q.status === 'pending' ? { status: 'pending', ...live }
    : q.status === 'expired' ? { [Op.or]: [{ status: 'expired' }, { status: 'pending', expires_at: { [Op.lte]: now } }] }
      : q.status ? { status: q.status } : {};
  const rows = await EventInvite.findAll({
    where: { [Op.and]: [{ invited_user_id: actor.id }, byStatus, after(q.cursor, 'desc')] },
    include: inviteIncludes, order: DESC, limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf };
}

export async function listAttendees(ctx: Context, eventRef: string, q: PageInput<EventAttendee['status']>): Promise<Page<EventAttendee>> {
  const event = await findEventByRef(eventRef);
  authorizeManage(ctx.actor, event);
  const rows = await EventAttendee.findAll({
    where: { event_id: event.id, ...(q.status ? { status: q.status } : {}), ...after(q.cursor, 'asc') },
    include: attendeeIncludes, order: ASC, limit: q.pageSize + 1,
  });
  return { rows, size: q.pageSize, cursorOf };
}
