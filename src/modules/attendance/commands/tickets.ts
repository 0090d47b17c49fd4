import { Op, type WhereOptions } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { Conflict, NotFound } from '../../../lib/errors.js';
import { encodeCursor } from '../../../lib/cursor.js';
import { consume } from '../../../lib/rate-limit.js';
import { isUuid } from '../../../lib/uuid.js';
import { AttendanceOtp, AttendanceRecord, Event, TicketSecret, type AttendanceStatus } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { CHECKIN_OTP_TTL_MS, checkinOtpHash, LIMITS, newCheckinOtp } from '../otp.js';
import { authorizeTicketOwner, requireActor } from '../policy.js';
import { isVoid, ticketRefusal } from '../rules.js';
import { signQr } from '../signing.js';
import { ticketCodeFor } from '../ticket-secret.js';
import { idCursor } from './cursor.js';

/** A ticket as its owner sees it: the record, its event, and the door code and QR derived for it (null once void). */
export interface TicketView {
  record: AttendanceRecord;
  event: Event;
  code: string | null;
  qr: string | null;
}

const includes = [{ model: Event, as: 'event' }, { model: TicketSecret, as: 'secret' }];

/** The code is derived from the stored salt with the server key (ticket-secret.ts); the QR is signed on demand. */
async function view(record: AttendanceRecord): Promise<TicketView> {
  const event = record.event!;
  const usable = !isVoid(record);
  return {
    record, event,
    code: usable && record.secret ? ticketCodeFor(record.secret.secret_salt) : null,
    qr: usable ? await signQr({ ticket: record.uuid, event: event.uuid, seats: record.seats }) : null,
  };
}

/** My tickets, newest first (keyset on id). */
export async function listMyTickets(
  ctx: Context, q: { cursor?: string; pageSize: number; status?: AttendanceStatus },
): Promise<{ rows: TicketView[]; size: number; cursorOf: (t: TicketView) => string }> {
  const actor = requireActor(ctx.actor);
  const where: WhereOptions = { user_id: actor.id, ...(q.status ? { status: q.status } : {}) };
  const after = idCursor(q.cursor);
  const records = await AttendanceRecord.findAll({
    where: after !== null ? { ...where, id: { [Op.lt]: after } } : where, include: includes, order: [['id', 'DESC']], limit: q.pageSize + 1,
  });
  return { rows: await Promise.all(records.map(view)), size: q.pageSize, cursorOf: (t) => encodeCursor([t.record.id]) };
}

async function ownTicket(ctx: Context, uuid: string): Promise<AttendanceRecord> {
  const record = isUuid(uuid) ? await AttendanceRecord.findOne({ where: { uuid: uuid.toLowerCase() }, include: includes }) : null;
  return authorizeTicketOwner(ctx.actor, record);
}

/** One of my tickets; anyone else's is 404. */
export async function getMyTicket(ctx: Context, uuid: string): Promise<TicketView> {
  return view(await ownTicket(ctx, uuid));
}

/** The QR code of my ticket (what GET /tickets/{uuid}/qr draws); a void ticket has none (409). */
export async function ticketQrPayload(ctx: Context, uuid: string): Promise<string> {
  const { qr, record } = await view(await ownTicket(ctx, uuid));
  if (!qr) throw new Conflict(`This ticket is void (${record.payment_status === 'refunded' ? 'refunded' : record.status})`);
  return qr;
}

/**
 * A one-time check-in code for my ticket: 6 digits for 5 minutes, stored as an HMAC; the ticket row
 * is locked so a new code voids the previous one even when two are asked for at once (the partial
 * unique index attendance_otp_one_live is the backstop).
 */
export async function issueCheckinOtp(ctx: Context, uuid: string): Promise<{ otp_code: string; expires_at: Date }> {
  const owned = await ownTicket(ctx, uuid);
  return withTransaction(ctx, async (tx, ctx) => {
    const record = await AttendanceRecord.findByPk(owned.id, { transaction: tx, lock: tx.LOCK.UPDATE });
    const event = owned.event!;
    if (!record) throw new NotFound('Ticket');
    if (event.status === 'cancelled') throw new Conflict('The event is cancelled');
    const refusal = ticketRefusal(record, event);
    if (refusal) throw refusal;
    const now = ctx.now();
    await consume(LIMITS.issuePerTicket(record.id), now, tx);
    const [voided] = await AttendanceOtp.update({ is_used: true }, { where: { attendance_record_id: record.id, is_used: false }, transaction: tx });
    const code = newCheckinOtp();
    const expires_at = new Date(now.getTime() + CHECKIN_OTP_TTL_MS);
    const otp = await AttendanceOtp.create({ attendance_record_id: record.id, otp_code: checkinOtpHash(record.uuid, code), expires_at }, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'attendance.otp.issue', object: { type: 'attendance_otp', id: otp.id },
      newValues: { expires_at: expires_at.toISOString() }, payload: { ticket: record.uuid, voided },
    });
    return { otp_code: code, expires_at };
  });
}
