import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { MINUTE } from '../../../lib/clock.js';
import { isUuid } from '../../../lib/uuid.js';
import { AttendanceRecord, type Event } from '../../../models/index.js';
import { auditRow, sealWritten } from '../../audit/writer.js';
import { findEventByRef } from '../../events/lookup.js';
import { authorizeDoor } from '../policy.js';
import { eventRefusal, ticketRefusal } from '../rules.js';
import { auditInsertFrom } from '../sql.js';
import { admitTicket } from './checkin.js';

/*
 * Offline doors upload what they scanned. Each scan is kept once per (event, scan_id) in
 * checkin_scan, so a re-upload answers the stored result and changes nothing. Per ticket, the first
 * scan to reach the server is `accepted` (it checks the ticket in); later ones are `duplicate`; and
 * whichever device uploads first, the ticket's checked_in_at ends as its EARLIEST scan: a duplicate
 * scanned before the recorded time moves it back. The tickets of a batch are locked in id order
 * (one transaction), so two devices syncing the same ticket at once serialise on its row.
 */
export interface Scan { scan_id: string; ticket: string; scanned_at: string; device: string }
export type ScanOutcome = 'accepted' | 'duplicate' | 'invalid';
export interface ScanResult { scan_id: string; result: ScanOutcome; checked_in_at: Date | null; reason: string | null }

/** How far ahead of the server's clock a device's scan time may be. */
const CLOCK_SKEW_MS = 5 * MINUTE;

const MOVE_EARLIER_SQL = `
WITH r AS (
  UPDATE attendance_record SET checked_in_at = $at, updated_at = $now
   WHERE id = $id AND status = 'checked_in' AND checked_in_at > $at
  RETURNING id, attendee_id, checked_in_at
), s AS (
  UPDATE ticket_secret ts SET redeemed_at = r.checked_in_at, updated_at = $now FROM r WHERE ts.attendance_record_id = r.id RETURNING ts.id
), a AS (
  UPDATE event_attendee ea SET checked_in_at = r.checked_in_at, updated_at = $now FROM r WHERE ea.id = r.attendee_id RETURNING ea.id
), l AS (${auditInsertFrom('r')}
)
SELECT checked_in_at FROM r`;

interface Stored { scan_id: string; result: ScanOutcome; reason: string | null; checked_in_at: Date | null }

export async function syncScans(ctx: Context, eventRef: string, scans: Scan[]): Promise<ScanResult[]> {
  const event = await findEventByRef(eventRef);
  await authorizeDoor(ctx.actor, event);
  const results = await withTransaction(ctx, async (tx, ctx) => {
    const uuids = [...new Set(scans.map((s) => s.ticket.toLowerCase()).filter(isUuid))];
    // Lock first: a concurrent sync of the same tickets commits before the stored scans are read below.
    const records = uuids.length
      ? await AttendanceRecord.findAll({
        where: { event_id: event.id, uuid: uuids }, order: [['id', 'ASC']], transaction: tx, lock: tx.LOCK.UPDATE,
      })
      : [];
    const byUuid = new Map(records.map((r) => [r.uuid, r]));
    const stored = new Map((await sequelize().query<Stored>(`
      SELECT s.scan_id, s.result, s.reason, ar.checked_in_at FROM checkin_scan s
        LEFT JOIN attendance_record ar ON ar.id = s.attendance_record_id
       WHERE s.event_id = $event AND s.scan_id = ANY($ids)`, {
      bind: { event: event.id, ids: scans.map((s) => s.scan_id) }, type: QueryTypes.SELECT, transaction: tx,
    })).map((s) => [s.scan_id, s]));

    const fresh = new Map<string, Scan>();
    for (const s of scans) if (!stored.has(s.scan_id) && !fresh.has(s.scan_id)) fresh.set(s.scan_id, s);
    const decided = new Map<string, { result: ScanOutcome; reason: string | null; record: AttendanceRecord | null }>();
    // Earliest first, so that within one upload the earliest scan of a ticket is the one accepted.
    const ordered = [...fresh.values()].sort((a, b) => Date.parse(a.scanned_at) - Date.parse(b.scanned_at));
    for (const scan of ordered) decided.set(scan.scan_id, await decide(ctx, event, scan, byUuid.get(scan.ticket.toLowerCase()) ?? null));

    if (decided.size) {
      const rows = [...decided].map(([scanId, d]) => ({
        scan_id: scanId, attendance_record_id: d.record?.id ?? null, device: fresh.get(scanId)!.device,
        scanned_at: validTime(fresh.get(scanId)!.scanned_at) ? fresh.get(scanId)!.scanned_at : ctx.now().toISOString(),
        result: d.result, reason: d.reason,
      }));
      await sequelize().query(`
        INSERT INTO checkin_scan (event_id, scan_id, attendance_record_id, device, scanned_at, result, reason, synced_by, created_at)
        SELECT $event, x.scan_id, x.attendance_record_id, x.device, x.scanned_at, x.result, x.reason, $actor, $now
          FROM jsonb_to_recordset($rows::jsonb) AS x(scan_id TEXT, attendance_record_id BIGINT, device TEXT, scanned_at TIMESTAMPTZ, result TEXT, reason TEXT)
        ON CONFLICT (event_id, scan_id) DO NOTHING`, {
        bind: { event: event.id, actor: ctx.actor?.id ?? null, now: ctx.now(), rows: JSON.stringify(rows) }, transaction: tx,
      });
    }
    return scans.map((s): ScanResult => {
      const old = stored.get(s.scan_id);
      if (old) return { scan_id: s.scan_id, result: old.result, reason: old.reason, checked_in_at: old.checked_in_at };
      const d = decided.get(s.scan_id)!;
      return { scan_id: s.scan_id, result: d.result, reason: d.reason, checked_in_at: d.record?.checked_in_at ?? null };
    });
  });
  sealWritten(ctx);
  return results;
}

const validTime = (iso: string) => Number.isFinite(Date.parse(iso));

/** One scan's outcome; applies its effect (check-in, or an earlier check-in time) in the batch's transaction. */
async function decide(ctx: Context, event: Event, scan: Scan, record: AttendanceRecord | null) {
  const invalid = (reason: string, r: AttendanceRecord | null = null) => ({ result: 'invalid' as const, reason, record: r });
  if (!record) return invalid('not a ticket of this event');
  if (!validTime(scan.scanned_at)) return invalid('scanned_at is not a time', record);
  const at = new Date(scan.scanned_at);
  if (at.getTime() > ctx.now().getTime() + CLOCK_SKEW_MS) return invalid('scanned_at is in the future', record);
  const closed = eventRefusal(event, at);
  if (closed) return invalid(closed.message, record);
  if (record.status === 'checked_in') {
    if (record.checked_in_at && at < record.checked_in_at) {
      const rows = await sequelize().query<{ checked_in_at: Date }>(MOVE_EARLIER_SQL, {
        bind: {
          id: record.id, at, now: ctx.now(),
          audit: JSON.stringify(auditRow(ctx, {
            action: 'update', command: 'attendance.checkin.earlier', object: { type: 'attendance_record', id: record.id, uuid: record.uuid },
            oldValues: { checked_in_at: record.checked_in_at.toISOString() }, newValues: { checked_in_at: at.toISOString() },
            payload: { via: 'offline_scan', scan_id: scan.scan_id, device: scan.device, event_uuid: event.uuid }, userId: record.user_id,
          })),
        },
        type: QueryTypes.SELECT, transaction: ctx.transaction,
      });
      if (rows[0]) record.set({ checked_in_at: rows[0].checked_in_at });
    }
    return { result: 'duplicate' as const, reason: null, record };
  }
  const refusal = ticketRefusal(record, event);
  if (refusal) return invalid(refusal.message, record);
  const checkedIn = await admitTicket(ctx, { record, event, at, via: 'offline_scan', scan: { scan_id: scan.scan_id, device: scan.device } });
  if (!checkedIn) return invalid('the ticket could not be checked in', record);
  record.set({ status: 'checked_in', checked_in_at: checkedIn });
  return { result: 'accepted' as const, reason: null, record };
}
