import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { config } from '../../../config.js';
import { sequelize } from '../../../db/connection.js';
import { Conflict } from '../../../lib/errors.js';
import { CapacityReservation, Event, type EventAttendee } from '../../../models/index.js';
import { closedReason } from '../rules.js';
import { admit } from './attendees.js';

/*
 * THE CAPACITY INVARIANT: for every event with max_capacity > 0,
 *   going_count + seats of live holds (not consumed, not released, expires_at > now) <= max_capacity.
 *
 * Every transaction that adds going seats or held seats ends with `claimSeats`, i.e. the SQL
 * function joining_claim_seats (migration 0400): it locks the event row (SELECT … FOR NO KEY UPDATE),
 * then — in a NEW statement, so READ COMMITTED gives it a snapshot taken after the lock was granted
 * and it sees every hold and going seat committed by earlier lock holders — checks
 * going + held + n <= max_capacity and writes going_count in the same UPDATE, in one round trip.
 * Holds are inserted before the claim, so the claim's held sum includes the caller's own new hold.
 *
 * The lock is taken as the LAST step of the command (after the request/invite transition, attendee
 * rows, notification and audit rows), so the event row is held only for that call and the commit:
 * that is what keeps a crowd accepting on one event fast. Accepting a request goes further: its
 * whole write is one SQL function run in autocommit (joining_accept_request, 0410; see accept.ts),
 * which calls joining_claim_seats last, so the lock is taken and released inside the database with
 * no client round trip in between. Lock order is always
 * request/invite/attendee row → event row, so these commands cannot deadlock with each other.
 * Commands that only give seats back (cancel, release) need no claim: fewer seats never oversell.
 *
 * Why NO KEY UPDATE and not FOR UPDATE: inserting the attendee/ticket/hold rows earlier in the same
 * transaction takes FOR KEY SHARE on the event row (their foreign keys). FOR UPDATE conflicts with
 * other transactions' KEY SHARE, so two accepts would deadlock; NO KEY UPDATE does not, yet it
 * still excludes every other claimer and every going_count/requests_count UPDATE.
 */

const LIVE_HOLDS = `SELECT COALESCE(SUM(seats_reserved), 0) FROM capacity_reservation
  WHERE event_id = :eventId AND NOT consumed AND released_at IS NULL AND expires_at > :now`;

/** Seats held right now by live reservations (uses the partial index capacity_reservation_live). */
export async function heldSeats(eventId: number, now: Date, transaction?: Transaction): Promise<number> {
  const rows = await sequelize().query<{ held: number }>(`SELECT (${LIVE_HOLDS})::int AS held`, {
    replacements: { eventId, now }, transaction, type: QueryTypes.SELECT,
  });
  return rows[0]?.held ?? 0;
}

/**
 * Locks the event and, if the event is still open and the seats fit, adds `going` seats and
 * `pendingDelta` to requests_count. Throws Conflict (event full / closed) otherwise; the caller's
 * transaction then rolls back everything it wrote.
 */
export async function claimSeats(
  ctx: Context, tx: Transaction,
  { eventId, going, pendingDelta = 0 }: { eventId: number; going: number; pendingDelta?: number },
): Promise<{ going_count: number; requests_count: number }> {
  const now = ctx.now();
  const rows = await sequelize().query<{ new_going_count: number; new_requests_count: number }>(
    'SELECT * FROM joining_claim_seats(:eventId, :going, :pendingDelta, :now)',
    { replacements: { eventId, going, pendingDelta, now }, transaction: tx, type: QueryTypes.SELECT },
  );
  if (rows[0]) return { going_count: rows[0].new_going_count, requests_count: rows[0].new_requests_count };
  throw await claimRefusal(eventId, now, tx);
}

/** Changes requests_count by `delta` (request created / left pending without taking seats). */
export async function bumpRequests(tx: Transaction, eventId: number, delta: number, now: Date): Promise<void> {
  await sequelize().query('UPDATE event SET requests_count = requests_count + :delta, updated_at = :now WHERE id = :eventId', {
    replacements: { delta, now, eventId }, transaction: tx,
  });
}

export interface Seating {
  attendee: EventAttendee | null;
  reservation: CapacityReservation | null;
}

/**
 * Gives `userId` their seats: a going attendee on a free event, a hold for HOLD_MINUTES on a paid
 * one (the payments domain turns a paid-for hold into an attendee). Ends with the capacity claim.
 */
export async function seat(
  ctx: Context, tx: Transaction,
  o: { event: Event; userId: number; seats: number; requestId?: number | null; inviteId?: number | null; pendingDelta?: number },
): Promise<Seating> {
  const now = ctx.now();
  if (!o.event.is_paid) {
    const attendee = await admit(ctx, tx, { event: o.event, userId: o.userId, seats: o.seats, requestId: o.requestId ?? null });
    await claimSeats(ctx, tx, { eventId: o.event.id, going: o.seats, pendingDelta: o.pendingDelta });
    return { attendee, reservation: null };
  }
  const reservation = await hold(tx, {
    eventId: o.event.id, userId: o.userId, seats: o.seats, expiresAt: holdUntil(now), requestId: o.requestId ?? null, inviteId: o.inviteId ?? null, now,
  });
  await claimSeats(ctx, tx, { eventId: o.event.id, going: 0, pendingDelta: o.pendingDelta });
  return { attendee: null, reservation };
}

/** When a hold taken now stops counting. */
export const holdUntil = (now: Date): Date => new Date(now.getTime() + config().HOLD_MINUTES * 60_000);

/**
 * A hold of the seats (no capacity check: the caller ends with the claim), refused when the person
 * already goes or already holds live seats at the event: the SQL function joining_hold (0410).
 */
async function hold(
  tx: Transaction,
  o: { eventId: number; userId: number; seats: number; expiresAt: Date; requestId: number | null; inviteId: number | null; now: Date },
): Promise<CapacityReservation> {
  const rows = await refusalsAsConflict(() => sequelize().query<Record<string, unknown>>(
    'SELECT * FROM joining_hold(:eventId, :userId, :seats, :expiresAt, :requestId, :inviteId, :now)',
    { replacements: o, transaction: tx, type: QueryTypes.SELECT },
  ));
  return CapacityReservation.build(rows[0] as never, { isNewRecord: false, raw: true });
}

/**
 * The joining SQL functions refuse with SQLSTATEs of class 'LJ' whose message is the Conflict
 * detail (see migration 0410); this turns those into Conflict and lets anything else through.
 * LJ004 (claim failed) carries no reason: callers that can meet it pass `explainClaim` (claimRefusal).
 */
export async function refusalsAsConflict<T>(run: () => Promise<T>, explainClaim?: () => Promise<Conflict>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    const pgErr = (err as { parent?: { code?: string; message?: string } }).parent;
    if (pgErr?.code === 'LJ004' && explainClaim) throw await explainClaim();
    if (pgErr?.code?.startsWith('LJ') && pgErr.message) throw new Conflict(pgErr.message);
    throw err;
  }
}

/** Why a claim on this event failed: closed (its reason) or else full. */
export async function claimRefusal(eventId: number, now: Date, transaction?: Transaction): Promise<Conflict> {
  const event = await Event.findByPk(eventId, { transaction });
  return new Conflict(event ? closedReason(event, now) ?? 'Event is full' : 'Event is gone');
}
