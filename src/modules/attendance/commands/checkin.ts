import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { retrying, withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { check, consume, hit, release } from '../../../lib/rate-limit.js';
import { isUuid } from '../../../lib/uuid.js';
import { AttendanceOtp, type AttendanceRecord, type Event } from '../../../models/index.js';
import { ATTENDANCE_OTP_MAX_ATTEMPTS } from '../../../models/AttendanceOtp.js';
import { auditFailure, auditRow, sealWritten, type AuditEntry } from '../../audit/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { checkinOtpMatches, LIMITS } from '../otp.js';
import { authorizeDoor } from '../policy.js';
import { ADMISSIBLE, alreadyCheckedIn, anotherEvent, eventRefusal, ticketRefusal } from '../rules.js';
import { verifyQr } from '../signing.js';
import { auditInsertFrom } from '../sql.js';
import { findDoorRecord, type DoorRecord } from './lookup.js';
import { looksLikeTicketCode, ticketLookupOf, ticketSecretMatches } from '../ticket-secret.js';

/** What a door presents: the typed code, the scanned QR, or the ticket with its one-time code. */
export type Credential =
  | { ticket_secret: string }
  | { qr_payload: string }
  | { ticket: string; otp_code: string };

export interface DoorTicket { record: AttendanceRecord; event: Event }


/*
 * The check-in itself: ONE conditional UPDATE (with the ticket secret, the attendee, the OTP and the
 * audit row riding along in the same statement). Two doors scanning one ticket at the same instant:
 * the second UPDATE waits on the first's row lock, re-reads the row, finds it no longer 'going', and
 * changes nothing — its caller answers 409 with the winner's time. Autocommit unless the caller
 * brings a transaction.
 */
const CHECKIN_SQL = `
WITH r AS (
  UPDATE attendance_record ar SET status = 'checked_in', checked_in_at = $at, updated_at = $now
   WHERE ar.id = $id AND ar.event_id = $eventId AND ${ADMISSIBLE}
  RETURNING ar.id, ar.attendee_id, ar.checked_in_at
), s AS (
  UPDATE ticket_secret ts SET is_redeemed = true, redeemed_at = r.checked_in_at, updated_at = $now
    FROM r WHERE ts.attendance_record_id = r.id RETURNING ts.id
), a AS (
  UPDATE event_attendee ea SET status = 'checked_in', checked_in_at = r.checked_in_at, updated_at = $now
    FROM r WHERE ea.id = r.attendee_id AND ea.status = 'going' RETURNING ea.id
), o AS (
  UPDATE attendance_otp ao SET is_used = true, updated_at = $now
    FROM r WHERE ao.id = $otpId AND ao.attendance_record_id = r.id RETURNING ao.id
), l AS (${auditInsertFrom('r')}
)
SELECT r.checked_in_at FROM r`;

export interface AdmitInput {
  record: AttendanceRecord;
  event: Event;
  /** When the person came in: now online; the scan's time for an offline door. */
  at: Date;
  via: 'ticket_secret' | 'qr_payload' | 'otp' | 'offline_scan' | 'staff';
  otpId?: number | null;
  /** Staff at the panel: why they let the guest in without a code. */
  reason?: string;
  scan?: { scan_id: string; device: string };
}

/** Runs the conditional update; the checked-in time, or null when the ticket was no longer admissible. */
export async function admitTicket(ctx: Context, a: AdmitInput): Promise<Date | null> {
  const entry: AuditEntry = {
    action: 'update', command: 'attendance.checkin',
    object: { type: 'attendance_record', id: a.record.id, uuid: a.record.uuid },
    oldValues: { status: a.record.status }, newValues: { status: 'checked_in', checked_in_at: a.at.toISOString() },
    payload: { via: a.via, event_uuid: a.event.uuid, seats: a.record.seats, ...(a.reason ? { reason: a.reason } : {}), ...(a.scan ?? {}) },
    userId: a.record.user_id, severity: a.via === 'staff' ? 'medium' : 'low',
  };
  const bind = {
    id: a.record.id, eventId: a.event.id, isPaid: a.event.is_paid, at: a.at, now: ctx.now(), otpId: a.otpId ?? null,
    audit: JSON.stringify(auditRow(ctx, entry)),
  };
  const run = (transaction?: Transaction) =>
    sequelize().query<{ checked_in_at: Date }>(CHECKIN_SQL, { bind, transaction, type: QueryTypes.SELECT });
  const rows = ctx.transaction ? await run(ctx.transaction) : await retrying(() => run());
  if (!rows[0]) return null;
  sealWritten(ctx);
  return rows[0].checked_in_at;
}

/**
 * Checks a ticket in at the door of `eventRef` (host or staff) by what the guest shows. Refusals:
 * forged or malformed credential 400/404, wrong OTP 400 (repeated: 429), a ticket of another
 * event 422, outside the window 422, already in / void 409, unpaid ticket of a paid event 422.
 */
export async function checkIn(ctx: Context, eventRef: string, credential: Credential): Promise<DoorTicket> {
  const event = await findEventByRef(eventRef);
  const door = await authorizeDoor(ctx.actor, event);
  let record: AttendanceRecord;
  let otpId: number | null = null;
  let via: AdmitInput['via'];
  if ('ticket_secret' in credential) {
    via = 'ticket_secret';
    record = await bySecret(credential.ticket_secret);
  } else if ('qr_payload' in credential) {
    via = 'qr_payload';
    const claims = await verifyQr(credential.qr_payload);
    if (!claims) throw ValidationFailed.field('qr_payload', 'is not a ticket QR code signed by Loopin');
    if (claims.event !== event.uuid) throw anotherEvent();
    const found = isUuid(claims.ticket) ? await findDoorRecord('uuid', claims.ticket.toLowerCase()) : null;
    if (!found) throw new NotFound('Ticket');
    record = found;
  } else {
    via = 'otp';
    ({ record, otpId } = await byOtp(ctx, door.id, event, credential.ticket, credential.otp_code));
  }
  return admitAtDoor(ctx, { record, event, at: ctx.now(), via, otpId });
}

/** The shared tail of every door: the rules, then the one conditional update; a lost race reads as the winner's 409. */
export async function admitAtDoor(ctx: Context, a: AdmitInput): Promise<DoorTicket> {
  const { record, event } = a;
  const refusal = (record.event_id === event.id ? eventRefusal(event, a.at) : null) ?? ticketRefusal(record, event);
  if (refusal) throw refusal;
  const at = await admitTicket(ctx, a);
  if (!at) {
    await record.reload({ transaction: ctx.transaction });
    throw ticketRefusal(record, event) ?? new Conflict('The ticket changed while checking in; try again');
  }
  record.set({ status: 'checked_in', checked_in_at: at });
  return { record, event };
}

async function bySecret(input: string): Promise<AttendanceRecord> {
  if (!looksLikeTicketCode(input)) throw ValidationFailed.field('ticket_secret', 'is not a ticket code (32 letters and digits)');
  const record = await findDoorRecord('lookup', ticketLookupOf(input));
  // The lookup finds the row; the salted hash proves the code (a row altered in the database admits no one).
  if (!record?.doorSecret || !ticketSecretMatches(input, record.doorSecret)) throw new NotFound('Ticket');
  return record;
}

/**
 * Ticket + one-time code. Guesses for one ticket are serialised on its live code's row lock, so the
 * caps hold however many arrive at once: wrong codes count against the code (dead after
 * ATTENDANCE_OTP_MAX_ATTEMPTS) and the ticket (429 past its cap), committed even though the check-in
 * is refused. The door account's cap counts every attempt up front and gives back the right ones.
 * A ticket of another event is 404 unless the code is right: a wrong guess must not confirm a uuid.
 */
type OtpOutcome = { otpId: number } | { wrong: 'expired' | 'used up' | 'wrong' | 'none' };

async function byOtp(ctx: Context, doorId: number, event: Event, ticket: string, code: string): Promise<{ record: DoorRecord; otpId: number }> {
  if (!isUuid(ticket)) throw new NotFound('Ticket');
  const record = await findDoorRecord('uuid', ticket.toLowerCase());
  if (!record) throw new NotFound('Ticket');
  const now = ctx.now();
  if (record.event_id === event.id && record.status === 'checked_in') throw alreadyCheckedIn(record);
  const perDoor = LIMITS.wrongPerDoor(doorId);
  await consume(perDoor, now);
  const outcome = await withTransaction({ ...ctx, transaction: undefined }, async (tx): Promise<OtpOutcome> => {
    const otp = await AttendanceOtp.findOne({
      where: { attendance_record_id: record.id, is_used: false }, order: [['id', 'DESC']], transaction: tx, lock: tx.LOCK.UPDATE,
    });
    const perTicket = LIMITS.wrongPerTicket(record.id);
    await check(perTicket, now, tx);
    const live = !!otp && otp.expires_at > now && otp.attempts < ATTENDANCE_OTP_MAX_ATTEMPTS;
    if (otp && live && checkinOtpMatches(record.uuid, code, otp.otp_code)) return { otpId: otp.id as number };
    await hit(perTicket, now, tx);
    if (otp && live) await otp.update({ attempts: otp.attempts + 1 }, { transaction: tx });
    const wrong = otp && otp.expires_at <= now ? 'expired' : !otp || !live ? 'none' : otp.attempts >= ATTENDANCE_OTP_MAX_ATTEMPTS ? 'used up' : 'wrong';
    return { wrong };
  });
  if ('otpId' in outcome) {
    await release(perDoor, now);
    return { record, otpId: outcome.otpId };
  }
  await auditFailure(ctx, {
    action: 'update', command: 'attendance.checkin', object: { type: 'attendance_record', id: record.id, uuid: record.uuid },
    payload: { via: 'otp', event_uuid: event.uuid }, errorMessage: `check-in code ${outcome.wrong}`, userId: record.user_id,
  });
  if (record.event_id !== event.id) throw new NotFound('Ticket');
  const why = {
    expired: 'has expired; ask the guest for a new code',
    'used up': 'is wrong, and this code is now used up; ask the guest for a new code',
    wrong: 'is wrong',
    none: 'is not valid; ask the guest for a new code',
  } as const;
  throw ValidationFailed.field('otp_code', why[outcome.wrong]);
}

/** The door lets a checked-in guest out: checked_out_at, once. */
export async function checkOut(ctx: Context, eventRef: string, ticket: string): Promise<DoorTicket> {
  const event = await findEventByRef(eventRef);
  await authorizeDoor(ctx.actor, event);
  const record = isUuid(ticket) ? await findDoorRecord('uuid', ticket.toLowerCase()) : null;
  if (!record || record.event_id !== event.id) throw new NotFound('Ticket');
  const now = ctx.now();
  const entry: AuditEntry = {
    action: 'update', command: 'attendance.checkout', object: { type: 'attendance_record', id: record.id, uuid: record.uuid },
    newValues: { checked_out_at: now.toISOString() }, payload: { event_uuid: event.uuid }, userId: record.user_id,
  };
  const rows = await retrying(() => sequelize().query<{ checked_out_at: Date }>(`
    WITH r AS (
      UPDATE attendance_record SET checked_out_at = $now, updated_at = $now
       WHERE id = $id AND status = 'checked_in' AND checked_out_at IS NULL
      RETURNING checked_out_at
    ), l AS (${auditInsertFrom('r')}
    )
    SELECT checked_out_at FROM r`, {
    bind: { id: record.id, now, audit: JSON.stringify(auditRow(ctx, entry)) }, type: QueryTypes.SELECT,
  }));
  if (!rows[0]) {
    await record.reload();
    if (record.checked_out_at) throw new Conflict(`Ticket already checked out at ${record.checked_out_at.toISOString()}`);
    throw new Conflict('This ticket is not checked in');
  }
  sealWritten(ctx);
  record.set({ checked_out_at: rows[0].checked_out_at });
  return { record, event };
}
