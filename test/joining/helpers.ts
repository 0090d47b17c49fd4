import http from 'node:http';
import { QueryTypes } from 'sequelize';
import supertest from 'supertest';
import { sequelize } from '../../src/db/connection.js';
import { clock } from '../../src/lib/clock.js';
import { testApp } from '../support/app.js';

/**
 * One listening server per test file, so hundreds of concurrent supertest calls share it (a bare
 * Express app would make supertest open a server per call).
 */
let server: http.Server | undefined;
export async function http_(): Promise<supertest.Agent> {
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

export interface Recount {
  going_count: number; requests_count: number; max_capacity: number;
  going: number; going_records: number; pending: number; held: number;
}

/** The event's counters beside the same figures recomputed from the rows (live holds by the app clock). */
export async function recount(eventId: number): Promise<Recount> {
  const rows = await sequelize().query<Recount>(
    `SELECT e.going_count, e.requests_count, e.max_capacity,
       (SELECT COALESCE(SUM(seats), 0) FROM event_attendee WHERE event_id = e.id AND status IN ('going', 'checked_in'))::int AS going,
       (SELECT COALESCE(SUM(seats), 0) FROM attendance_record WHERE event_id = e.id AND status IN ('going', 'checked_in'))::int AS going_records,
       (SELECT COUNT(*) FROM event_request WHERE event_id = e.id AND status = 'pending')::int AS pending,
       (SELECT COALESCE(SUM(seats_reserved), 0) FROM capacity_reservation
          WHERE event_id = e.id AND NOT consumed AND released_at IS NULL AND expires_at > :now)::int AS held
     FROM event e WHERE e.id = :eventId`,
    { replacements: { eventId, now: clock.now() }, type: QueryTypes.SELECT },
  );
  return rows[0]!;
}

export async function count(sql: string, replacements: Record<string, unknown> = {}): Promise<number> {
  const rows = await sequelize().query<{ n: number }>(`SELECT (${sql})::int AS n`, { replacements, type: QueryTypes.SELECT });
  return rows[0]!.n;
}

/** Runs `fn` for 0..n-1 with at most `limit` at a time (test setup, not the race itself). */
export async function inBatches<T>(n: number, limit: number, fn: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(n);
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < n) {
      const i = next++;
      out[i] = await fn(i);
    }
  }));
  return out;
}

export const statuses = (responses: { status: number }[]) =>
  responses.reduce<Record<number, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {});
