import { Op, QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { encodeCursor } from '../../../lib/cursor.js';
import { AttendanceRecord, TicketSecret, type Event } from '../../../models/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeDoor } from '../policy.js';
import { idCursor } from './cursor.js';
import { doorFingerprint, ticketCodeFor } from '../ticket-secret.js';

/** One line of the door list: what an offline device needs to admit or refuse a ticket (no secret). */
export interface DoorEntry { record: AttendanceRecord; event: Event; fingerprint: string | null }

/** Every ticket of the event, oldest first (keyset on id), with its door fingerprint. */
export async function doorList(
  ctx: Context, eventRef: string, q: { cursor?: string; pageSize: number },
): Promise<{ rows: DoorEntry[]; size: number; cursorOf: (e: DoorEntry) => string }> {
  const event = await findEventByRef(eventRef);
  await authorizeDoor(ctx.actor, event);
  const after = idCursor(q.cursor);
  const records = await AttendanceRecord.findAll({
    where: { event_id: event.id, ...(after !== null ? { id: { [Op.gt]: after } } : {}) },
    include: [{ model: TicketSecret, as: 'secret', attributes: ['secret_salt'] }],
    order: [['id', 'ASC']], limit: q.pageSize + 1,
  });
  return {
    rows: records.map((record) => ({
      record, event, fingerprint: record.secret ? doorFingerprint(ticketCodeFor(record.secret.secret_salt)) : null,
    })),
    size: q.pageSize,
    cursorOf: (e) => encodeCursor([e.record.id]),
  };
}

export interface CheckinCounts { going: number; checked_in: number; checked_out: number }

/**
 * Seats at the door: going (every seat still coming or already in), checked in (including those who
 * left since), checked out. One aggregate over the event's going and checked-in tickets (index range).
 */
export async function checkinCounts(ctx: Context, eventRef: string): Promise<CheckinCounts> {
  const event = await findEventByRef(eventRef);
  await authorizeDoor(ctx.actor, event);
  const [row] = await sequelize().query<CheckinCounts>(`
    SELECT COALESCE(SUM(seats), 0)::int AS going,
           COALESCE(SUM(seats) FILTER (WHERE status = 'checked_in'), 0)::int AS checked_in,
           COALESCE(SUM(seats) FILTER (WHERE checked_out_at IS NOT NULL), 0)::int AS checked_out
      FROM attendance_record WHERE event_id = $event AND status IN ('going', 'checked_in')`, {
    bind: { event: event.id }, type: QueryTypes.SELECT,
  });
  return row!;
}
