import { Op, QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { REFUSALS, openHoldSql } from '../../../db/functions/joining-rules.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { isUuid } from '../../../lib/uuid.js';
import { Event, EventRequest } from '../../../models/index.js';
import { audit, type AuditEntry } from '../../audit/writer.js';
import { notify, type NotificationInput } from '../../notifications/writer.js';
import { hostEvents } from '../../webhooks/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeManage, authorizeManageVisible } from '../policy.js';
import { closedReason } from '../rules.js';
import { bumpRequests, heldSeats, holdUntil } from './capacity.js';
import { seat, type Seating } from './seating.js';
import { releaseDueHolds } from './expired-holds.js';
import { loadRequest, requestIncludes } from './views.js';
import { WAITLISTED } from '../../../db/functions/availability-channel.js';

/*
 * The waitlist of an event (docs/decisions/1000-waitlist-admission.md): requests with status
 * 'waitlisted', FIFO by waitlist_seq. Whoever frees seats calls admitFromWaitlist in the same
 * transaction; it locks the event row, so admissions of one event run one at a time and each sees
 * the seats the previous one took.
 */
export { WAITLISTED };

/** A waitlisted request admitted: accepted, and seated (free event) or holding seats (paid event). */
export interface Admission extends Seating { request: EventRequest }

/** How many waitlisted requests one admission reads at a time. */
const BATCH = 100;

const requireTx = (ctx: Context, what: string): Transaction => {
  if (!ctx.transaction) throw new Error(`${what}() runs inside the transaction that freed the seats`);
  return ctx.transaction;
};

/** The event row locked as every capacity claim locks it (0420), read fresh. */
const lockEvent = (eventId: number, tx: Transaction) => Event.findByPk(eventId, { transaction: tx, lock: tx.LOCK.NO_KEY_UPDATE });

/** Seats nobody holds or uses (Infinity when unlimited). Call with the event locked and read in this statement's snapshot. */
async function freeSeats(event: Event, now: Date, tx: Transaction): Promise<number> {
  if (event.max_capacity === 0) return Infinity;
  return event.max_capacity - event.going_count - (await heldSeats(event.id, now, tx));
}

/**
 * THE admission: while seats are free, the first waitlisted requests of the event are admitted in
 * FIFO order — free event → going, paid event → a hold for HOLD_MINUTES — each through the one
 * seating path, notified (in-app and email) and audited. A head that asks for more seats than are
 * free waits and blocks those behind it (strict order). Inside the caller's transaction, after it
 * freed seats; nothing happens on an event that is closed or has no waitlist.
 */
export async function admitFromWaitlist(ctx: Context, eventId: number): Promise<Admission[]> {
  const tx = requireTx(ctx, 'admitFromWaitlist');
  const now = ctx.now();
  // Most events have no waitlist: one index probe, no lock. A request being waitlisted right now
  // locks the event and runs admission itself, so it cannot be stranded by this shortcut.
  const [probe] = await sequelize().query<{ waits: boolean }>(
    `SELECT e.waitlist_enabled OR EXISTS (SELECT 1 FROM event_request r WHERE r.event_id = e.id AND r.status = '${WAITLISTED}') AS waits
       FROM event e WHERE e.id = :eventId`,
    { replacements: { eventId }, transaction: tx, type: QueryTypes.SELECT },
  );
  if (!probe?.waits) return [];
  const event = await lockEvent(eventId, tx);
  if (!event || closedReason(event, now)) return [];
  await releaseDueHolds(ctx, { eventId: event.id, noticedBy: 'waitlist admission' });
  let free = await freeSeats(event, now, tx);
  const admitted: Admission[] = [];
  let after: string | null = null;
  while (free > 0) {
    const batch: EventRequest[] = await EventRequest.findAll({
      where: { event_id: event.id, status: WAITLISTED, ...(after ? { waitlist_seq: { [Op.gt]: after } } : {}) },
      include: requestIncludes, order: [['waitlist_seq', 'ASC']], limit: BATCH, transaction: tx,
    });
    for (const request of batch) {
      if (request.seats_requested > free) return admitted;
      after = request.waitlist_seq;
      const out = await admitOne(ctx, event, request, 'joining.waitlist.admit');
      if (out === 'full') return admitted;
      if (out !== 'gone') {
        admitted.push(out);
        free -= request.seats_requested;
        if (free <= 0) break;
      }
    }
    if (batch.length < BATCH) break;
  }
  return admitted;
}

/**
 * A read that finds expired, unswept holds on an event with a waitlist admits from it at once (its
 * own transaction, or the caller's), instead of waiting for the expire-holds job.
 */
export async function admitIfHoldsExpired(ctx: Context, eventId: number): Promise<Admission[]> {
  const [row] = await sequelize().query<{ due: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM capacity_reservation WHERE event_id = :eventId AND ${openHoldSql('')} AND expires_at <= :now)
        AND EXISTS (SELECT 1 FROM event_request WHERE event_id = :eventId AND status = '${WAITLISTED}') AS due`,
    { replacements: { eventId, now: ctx.now() }, transaction: ctx.transaction, type: QueryTypes.SELECT },
  );
  if (!row?.due) return [];
  return withTransaction(ctx, (_tx, ctx) => admitFromWaitlist(ctx, eventId));
}

const alreadyIn = new Set<string>([REFUSALS.alreadyAttending.message, REFUSALS.alreadyHolding.message]);

/**
 * One waitlisted request leaves the waitlist (the conditional UPDATE arbitrates racing removes and
 * cancels: 'gone' when it lost) and is seated. A person already in by another way has their request
 * expired ('gone'); a failed claim puts the request back as it was ('full').
 */
async function admitOne(ctx: Context, event: Event, request: EventRequest, command: string): Promise<Admission | 'gone' | 'full'> {
  const tx = ctx.transaction!;
  const now = ctx.now();
  const seq = request.waitlist_seq;
  const [changed] = await EventRequest.update({ status: 'accepted', waitlist_seq: null }, {
    where: { id: request.id, status: WAITLISTED }, transaction: tx,
  });
  if (!changed) return 'gone';
  const until = event.is_paid ? holdUntil(now) : null;
  const entry: AuditEntry = {
    action: 'update', command, object: { type: 'event_request', id: request.id, uuid: request.uuid }, userId: request.requester_id,
    oldValues: { status: WAITLISTED, waitlist_seq: seq },
    newValues: { status: 'accepted', seats: request.seats_requested, ...(until ? { held_until: until.toISOString() } : { going: true }) },
  };
  try {
    const seating = await seat(ctx, {
      event, userId: request.requester_id, seats: request.seats_requested, requestId: request.id, holdUntil: until ?? undefined,
      audit: [entry], notifications: [admittedNotice(event, request, until)],
      hostEvents: [hostEvents.requestAccepted(event, request, request.requester)],
    });
    Object.assign(request, { status: 'accepted', waitlist_seq: null, updated_at: now });
    return { request, ...seating };
  } catch (err) {
    if (!(err instanceof Conflict)) throw err;
    if (alreadyIn.has(err.message)) {
      await EventRequest.update({ status: 'expired' }, { where: { id: request.id }, transaction: tx });
      await audit(ctx, { ...entry, newValues: { status: 'expired', reason: err.message } });
      return 'gone';
    }
    await EventRequest.update({ status: WAITLISTED, waitlist_seq: seq }, { where: { id: request.id }, transaction: tx });
    return 'full';
  }
}

/** The requester's notice of an admission; a held seat also says until when (email "your seat is held until …"). */
function admittedNotice(event: Event, request: EventRequest, until: Date | null): NotificationInput {
  const common = {
    recipientId: request.requester_id, type: 'event_request' as const, email: true,
    reference: { type: 'event_request', id: request.id, uuid: request.uuid },
  };
  if (!until) {
    return {
      ...common, title: `A place opened up: you're going to ${event.title}`,
      message: `A place opened up at ${event.title} and you were next on the waitlist: you're going.`,
      metadata: { decision: 'accepted', event_title: event.title, starts_at: event.start_time.toISOString() },
    };
  }
  return {
    ...common, title: `A seat opened up at ${event.title}`,
    message: `A seat opened up at ${event.title} and you were next on the waitlist. Your seat is held until ${until.toISOString()}: pay before then to keep it.`,
    metadata: { template: 'waitlist_hold', event_title: event.title, starts_at: event.start_time.toISOString(), held_until: until.toISOString() },
  };
}

/** 1 + waitlisted requests of its event ahead of it, for each waitlisted row (null for the others), in one query. */
export async function withWaitlistPositions<R extends EventRequest>(rows: R[], transaction?: Transaction): Promise<R[]> {
  const positions = await waitlistPositions(rows, transaction);
  for (const r of rows) r.waitlist_position = positions.get(Number(r.id)) ?? null;
  return rows;
}

/** Position by request id of the waitlisted ones among `rows` (the panel's list reads plain params). */
export async function waitlistPositions(
  rows: { id: number | string; event_id: number | string; status: string; waitlist_seq: string | number | null }[], transaction?: Transaction,
): Promise<Map<number, number>> {
  const waiting = rows.filter((r) => r.status === WAITLISTED && r.waitlist_seq != null && r.waitlist_seq !== '');
  if (!waiting.length) return new Map();
  const found = await sequelize().query<{ id: string; position: number }>(
    `SELECT x.id::text AS id, (SELECT COUNT(*) FROM event_request w
        WHERE w.event_id = x.event_id AND w.status = '${WAITLISTED}' AND w.waitlist_seq <= x.seq)::int AS position
       FROM unnest($ids::bigint[], $events::bigint[], $seqs::bigint[]) AS x(id, event_id, seq)`,
    {
      bind: { ids: waiting.map((r) => r.id), events: waiting.map((r) => r.event_id), seqs: waiting.map((r) => r.waitlist_seq) },
      transaction, type: QueryTypes.SELECT,
    },
  );
  return new Map(found.map((f) => [Number(f.id), f.position]));
}

/** What a host's accept gave on a full waitlist event: the request's place in line. */
export interface Waitlisted { request: EventRequest; waitlist_position: number }

/**
 * A host's accept found a waitlist event full: the pending request joins the end of the waitlist
 * (requests_count −1: it no longer counts as pending), audited. Then admission runs as after any
 * change of the line — seats freed since the failed claim go to whoever is first, maybe this
 * request (then the answer is its seating). Otherwise the requester is told their position.
 */
export async function waitlistRequest(
  ctx: Context, request: EventRequest & { event: Event }, o: { actorId: number; hostMessage?: string },
): Promise<Waitlisted | ({ request: EventRequest } & Seating)> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    // Request row, then event row (the lock order of every seating, 0420); the number is drawn under
    // the event lock, so numbers follow commit order and the position answered is exact.
    const locked = await EventRequest.findOne({ where: { id: request.id }, attributes: ['id', 'status'], lock: tx.LOCK.UPDATE, transaction: tx });
    if (locked?.status !== 'pending') throw new Conflict(`Request is ${locked?.status ?? 'gone'}`);
    await bumpRequests(tx, request.event_id, -1, now);
    const [rows] = await sequelize().query(
      `UPDATE event_request SET status = '${WAITLISTED}', waitlist_seq = nextval('event_request_waitlist_seq'),
              host_message = COALESCE(:hostMessage, host_message), updated_at = :now
        WHERE id = :id RETURNING waitlist_seq::text AS seq`,
      { replacements: { id: request.id, hostMessage: o.hostMessage ?? null, now }, transaction: tx },
    ) as [{ seq: string }[], unknown];
    Object.assign(request, { status: WAITLISTED, waitlist_seq: rows[0]!.seq, updated_at: now },
      o.hostMessage !== undefined ? { host_message: o.hostMessage } : {});
    await audit(ctx, {
      action: 'update', command: 'joining.request.waitlist', object: { type: 'event_request', id: request.id, uuid: request.uuid },
      oldValues: { status: 'pending' }, newValues: { status: WAITLISTED, waitlist_seq: request.waitlist_seq }, userId: request.requester_id,
    });
    const mine = (await admitFromWaitlist(ctx, request.event_id)).find((a) => a.request.id === request.id);
    if (mine) return mine;
    const [placed] = await withWaitlistPositions([request], tx);
    const position = placed!.waitlist_position!;
    await notify(ctx, {
      recipientId: request.requester_id, senderId: o.actorId, type: 'event_request', title: `You're on the waitlist for ${request.event.title}`,
      message: `${request.event.title} is full. The host put you on the waitlist (position ${position}): you get a place as soon as one frees up.`,
      reference: { type: 'event_request', id: request.id, uuid: request.uuid },
      metadata: { waitlist_position: position, ...(o.hostMessage ? { host_message: o.hostMessage } : {}) },
    });
    return { request, waitlist_position: position };
  });
}

/**
 * The host's (or staff's) waitlist of an event, in order, keyset-paginated on waitlist_seq. It lists
 * third persons: to anyone else it does not exist (404), even on a public event.
 */
export async function listWaitlist(ctx: Context, eventRef: string, q: { cursor?: string; pageSize: number }) {
  const event = await findEventByRef(eventRef);
  await authorizeManageVisible(ctx.actor, event, { what: 'Waitlist' });
  const values = decodeCursor(q.cursor, 1);
  const after = values?.[0];
  if (values && (typeof after !== 'string' || !/^\d{1,19}$/.test(after))) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  await admitIfHoldsExpired(ctx, event.id);
  const rows = await EventRequest.findAll({
    where: { event_id: event.id, status: WAITLISTED, ...(after ? { waitlist_seq: { [Op.gt]: after } } : {}) },
    include: requestIncludes, order: [['waitlist_seq', 'ASC']], limit: q.pageSize + 1,
  });
  await withWaitlistPositions(rows);
  return { rows, size: q.pageSize, cursorOf: (r: EventRequest) => encodeCursor([String(r.waitlist_seq)]) };
}

/**
 * The host (or staff) takes a request off the waitlist: it becomes `declined` (the host's decision,
 * as a decline of a pending request), the requester is told, audited. Those behind move up.
 */
export async function removeFromWaitlist(
  ctx: Context, input: { requestUuid: string; eventRef?: string; hostMessage?: string },
): Promise<EventRequest> {
  return withTransaction(ctx, async (tx, ctx) => {
    const request = await loadRequest(ctx, input.requestUuid, input.eventRef);
    const actor = await authorizeManageVisible(ctx.actor, request.event, { transaction: tx, what: 'Request', ownerId: request.requester_id });
    const seq = request.waitlist_seq;
    const values = { status: 'declined' as const, waitlist_seq: null, ...(input.hostMessage !== undefined ? { host_message: input.hostMessage } : {}) };
    const [changed] = await EventRequest.update(values, { where: { id: request.id, status: WAITLISTED }, transaction: tx });
    if (!changed) {
      const fresh = await EventRequest.findByPk(request.id, { attributes: ['status'], transaction: tx });
      throw new Conflict(`Request is not on the waitlist (it is ${fresh?.status ?? 'gone'})`);
    }
    Object.assign(request, values, { updated_at: ctx.now() });
    await audit(ctx, {
      action: 'update', command: 'joining.waitlist.remove', object: { type: 'event_request', id: request.id, uuid: request.uuid },
      oldValues: { status: WAITLISTED, waitlist_seq: seq }, newValues: { status: 'declined' }, userId: request.requester_id,
    });
    await notify(ctx, {
      recipientId: request.requester_id, senderId: actor.id, type: 'event_request', email: true,
      title: `You were taken off the waitlist for ${request.event.title}`,
      message: `The host took you off the waitlist of ${request.event.title}.`,
      reference: { type: 'event_request', id: request.id, uuid: request.uuid },
      metadata: { decision: 'declined', event_title: request.event.title, ...(input.hostMessage ? { host_message: input.hostMessage } : {}) },
    });
    request.waitlist_position = null;
    return request;
  });
}

/**
 * Staff or the host admit one waitlisted request now, out of turn ("Admit now" in the panel): only
 * when its seats are free — else a Conflict saying how full the event is.
 */
export async function admitNow(ctx: Context, input: { requestUuid: string }): Promise<Admission> {
  if (!isUuid(input.requestUuid)) throw new NotFound('Request');
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const found = await EventRequest.findOne({ where: { uuid: input.requestUuid.toLowerCase() }, include: requestIncludes, transaction: tx });
    if (!found?.event) throw new NotFound('Request');
    authorizeManage(ctx.actor, found.event);
    const event = (await lockEvent(found.event_id, tx))!;
    const request = (await EventRequest.findByPk(found.id, { include: requestIncludes, transaction: tx }))!;
    if (request.status !== WAITLISTED) throw new Conflict(`Request is not on the waitlist (it is ${request.status})`);
    const closed = closedReason(event, now);
    if (closed) throw new Conflict(closed);
    await releaseDueHolds(ctx, { eventId: event.id, noticedBy: 'waitlist admission' });
    const free = await freeSeats(event, now, tx);
    if (request.seats_requested > free) {
      const held = await heldSeats(event.id, now, tx);
      throw new Conflict(`No seat is free: ${event.going_count} going and ${held} held of ${event.max_capacity}`
        + ` (this request needs ${request.seats_requested})`);
    }
    const out = await admitOne(ctx, event, request, 'joining.waitlist.admit_now');
    if (out === 'full') throw new Conflict('Event is full');
    if (out === 'gone') throw new Conflict('The requester already attends or holds seats at this event');
    return out;
  });
}
