import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { retrying } from '../../../db/transaction.js';
import { CapacityReservation, EventAttendee, type EventRequest } from '../../../models/index.js';
import { auditRow, sealWritten, type AuditEntry } from '../../audit/writer.js';
import { notificationRow, type NotificationInput } from '../../notifications/writer.js';
import { admitAudit } from './attendees.js';
import { claimRefusal, holdUntil, refusalsAsConflict, type Seating } from './capacity.js';

/*
 * The write half of accepting a join request, in ONE database round trip: the SQL function
 * joining_accept_request (migration 0410) moves the request from pending to accepted, seats the
 * requester (attendee + ticket on a free event, a hold on a paid one), inserts the notification and
 * audit rows built here by the notification and audit writers, and claims the seats last.
 *
 * Why a function and not a transaction of statements: an accept used to be 9 statements, and the
 * client-side cost per statement plus the round trips, with the event row locked from the claim
 * until the COMMIT came back, bounded a crowd accepting on one event. Run in autocommit, the
 * function is atomic on its own, and the event lock is taken and released inside the database.
 *
 * Inside a caller's transaction (ctx.transaction: nested use) the same call joins it, under a
 * savepoint so that a refusal leaves that transaction usable, as the statement-by-statement
 * version did.
 */

const CALL = `joining_accept_request($requestId, $eventId, $seats, $hostMessage, $now, $holdUntil,
  $notifications::jsonb, $audit::jsonb, $admitAudit::jsonb) x`;

export interface Acceptance {
  request: EventRequest;
  hostMessage?: string;
  /** The requester's notice, as notify() would take it. */
  notification: NotificationInput;
  /** The request's own audit entry (the attendee's is added here for free events). */
  audit: AuditEntry;
}

/**
 * Runs the accept's writes in one call and returns the seating as the models the presenter takes.
 * Refusals are the Conflicts the statement-by-statement version threw (see refusalsAsConflict).
 */
export async function writeAcceptance(ctx: Context, a: Acceptance): Promise<Seating> {
  const { request } = a;
  const event = request.event!;
  const now = ctx.now();
  const seats = request.seats_requested;
  const bind = {
    requestId: request.id, eventId: event.id, seats, hostMessage: a.hostMessage ?? null, now,
    holdUntil: event.is_paid ? holdUntil(now) : null,
    notifications: JSON.stringify([notificationRow(ctx, a.notification)]),
    audit: JSON.stringify([auditRow(ctx, a.audit)]),
    // Free events only: the attendee's audit row, completed in SQL once the attendee exists.
    admitAudit: event.is_paid ? null
      : JSON.stringify(auditRow(ctx, admitAudit({ userId: request.requester_id, seats, requestId: request.id }, null, false))),
  };
  // Free events return the attendee's columns, paid ones the hold's.
  const sql = `SELECT (x.${event.is_paid ? 'reservation' : 'attendee'}).* FROM ${CALL}`;
  const call = (transaction?: Transaction) =>
    sequelize().query<Record<string, unknown>>(sql, { bind, transaction, type: QueryTypes.SELECT });
  const rows = await refusalsAsConflict(
    () => (ctx.transaction ? sequelize().transaction({ transaction: ctx.transaction }, call) : retrying(call)),
    () => claimRefusal(event.id, now, ctx.transaction),
  );
  sealWritten(ctx);
  const row = rows[0] as never;
  return event.is_paid
    ? { attendee: null, reservation: CapacityReservation.build(row, { isNewRecord: false, raw: true }) }
    : { attendee: EventAttendee.build(row, { isNewRecord: false, raw: true }), reservation: null };
}
