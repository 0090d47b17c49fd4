import type { z } from 'zod';
import type { AttendanceRecord, Event } from '../../models/index.js';
import type { DoorEntryOut, DoorTicketOut, ScanResultOut, TicketOut } from './schema.js';
import type { DoorEntry, DoorTicket, ScanResult, TicketView } from './commands/index.js';
import { ticketRefusal } from './rules.js';

/** Model → public JSON. Every field chosen; uuids only; ISO times. The door never sees a code. */
const time = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function presentTicket(t: TicketView): z.infer<typeof TicketOut> {
  const { record: r, event: e } = t;
  return {
    uuid: r.uuid,
    event: { uuid: e.uuid, slug: e.slug, title: e.title, start_time: e.start_time.toISOString(), end_time: e.end_time.toISOString() },
    status: r.status,
    seats: r.seats,
    payment_status: r.payment_status,
    ticket_secret: t.code,
    qr_payload: t.qr,
    checked_in_at: time(r.checked_in_at),
    checked_out_at: time(r.checked_out_at),
    created_at: r.created_at.toISOString(),
  };
}

export function presentDoorTicket({ record: r, event: e }: DoorTicket): z.infer<typeof DoorTicketOut> {
  const user = r.user as { uuid: string; profile?: { name: string | null } | null } | undefined;
  return {
    uuid: r.uuid,
    event: { uuid: e.uuid, slug: e.slug, title: e.title },
    attendee: { uuid: user?.uuid ?? '', name: user?.profile?.name ?? null },
    status: r.status,
    seats: r.seats,
    payment_status: r.payment_status,
    checked_in_at: time(r.checked_in_at),
    checked_out_at: time(r.checked_out_at),
  };
}

const admissible = (r: AttendanceRecord, e: Event) => ticketRefusal(r, e) === null;

export const presentDoorEntry = ({ record: r, event: e, fingerprint }: DoorEntry): z.infer<typeof DoorEntryOut> => ({
  ticket: r.uuid, seats: r.seats, status: r.status, payment_status: r.payment_status, admissible: admissible(r, e),
  checked_in_at: time(r.checked_in_at), fingerprint,
});

export const presentScanResult = (s: ScanResult): z.infer<typeof ScanResultOut> => ({
  scan_id: s.scan_id, result: s.result, checked_in_at: time(s.checked_in_at), reason: s.reason,
});
