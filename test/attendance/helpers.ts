import { expect } from 'vitest';
import { clock, HOUR } from '../../src/lib/clock.js';
import { AttendanceRecord, TicketSecret, type AuthUser, type Event } from '../../src/models/index.js';
import { mintTicketSecret, ticketCodeFor } from '../../src/modules/attendance/ticket-secret.js';
import { buildAttendee, buildEvent, buildPaidEvent } from '../support/factories.js';

/**
 * A seated ticket as the one seating path leaves it: attendee + record + TICKET_SECRET minted by
 * mintTicketSecret(), and the record's ticket_secret set to the secret's lookup fingerprint.
 */
export async function buildTicket(o: { event?: Event; user?: AuthUser; seats?: number; paid?: boolean } = {}) {
  const { record, user, event, attendee } = await buildAttendee(o);
  const minted = mintTicketSecret();
  await TicketSecret.create({ attendance_record_id: record.id, ...minted });
  await record.update({ ticket_secret: minted.secret_lookup });
  return { record, user, event, attendee, code: ticketCodeFor(minted.secret_salt) };
}

/** An event whose check-in window is open now (starts in an hour). */
export const openEvent = (over: Parameters<typeof buildEvent>[0] = {}) =>
  buildEvent({ start_time: new Date(clock.now().getTime() + HOUR), ...over });
export const openPaidEvent = (over: Parameters<typeof buildEvent>[0] = {}) =>
  buildPaidEvent({ start_time: new Date(clock.now().getTime() + HOUR), ...over });

export const reload = (r: AttendanceRecord) => AttendanceRecord.findByPk(r.id, { rejectOnEmpty: true });

interface Res { status: number; headers: Record<string, string>; body: { errors?: { field: string }[]; detail?: string } }
export function expectProblem(res: Res, status: number, field?: string) {
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (field) expect((res.body.errors ?? []).map((e) => e.field)).toContain(field);
}

// One listening server per file: joining's, so both helpers share it.
export { http_ as httpAgent, closeServer } from '../joining/helpers.js';
