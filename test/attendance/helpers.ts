import http from 'node:http';
import supertest from 'supertest';
import { expect } from 'vitest';
import { clock, HOUR } from '../../src/lib/clock.js';
import { AttendanceRecord, TicketSecret, type AuthUser, type Event } from '../../src/models/index.js';
import { mintTicketSecret, ticketCodeFor } from '../../src/modules/attendance/ticket-secret.js';
import { testApp } from '../support/app.js';
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

/** One listening server per file, so many concurrent supertest calls share it. */
let server: http.Server | undefined;
export async function httpAgent(): Promise<supertest.Agent> {
  if (!server) {
    const app = await testApp();
    server = http.createServer(app);
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  }
  return supertest.agent(server);
}
export async function closeServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (s) await new Promise((resolve) => s.close(resolve));
}
