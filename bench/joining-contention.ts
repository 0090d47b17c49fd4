/**
 * Contention on ONE event: 32 concurrent clients accepting join requests through the joining
 * commands (the same code path as the API and AdminJS), beside a raw-SQL baseline — a bare
 * `UPDATE event SET going_count = going_count + 1 WHERE id = $1 AND going_count + 1 <= max_capacity`
 * loop over 32 pg connections — on the same database in the same run. Prints accepted/s for each
 * and the oversold count (seats going + live holds beyond max_capacity; must be 0).
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres node --import tsx bench/joining-contention.ts [capacity] [requests]
 *
 * It works in a scratch database (created, migrated, dropped) on the DATABASE_URL server.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { connect, disconnect, sequelize } from '../src/db/connection.js';
import { createMigrator } from '../src/db/migrate.js';
import { createContext } from '../src/context.js';
import { clock, DAY, HOUR } from '../src/lib/clock.js';
import { setJwtSecret } from '../src/lib/jwt.js';
import { AuthUser, Event, EventRequest, UserProfile } from '../src/models/index.js';
import { acceptRequest } from '../src/modules/joining/commands/requests.js';
import { withDatabase } from '../test/support/global-setup.js';

const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 32);
const capacity = Number(process.argv[2] ?? 1000);
const requests = Number(process.argv[3] ?? Math.round(capacity * 1.2));
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const dbName = `loopin_bench_${crypto.randomBytes(4).toString('hex')}`;

async function admin(sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

async function makeEvent(hostId: number, paid: boolean): Promise<Event> {
  const start = new Date(clock.now().getTime() + 7 * DAY);
  const tag = crypto.randomBytes(4).toString('hex');
  return Event.create({
    host_id: hostId, title: `Bench ${tag}`, slug: `bench-${tag}`, description: 'Contention benchmark event.',
    start_time: start, end_time: new Date(start.getTime() + 3 * HOUR), max_capacity: capacity, status: 'published',
    is_paid: paid, ticket_price: paid ? '499.00' : '0.00', cover_images: [],
  });
}

/** `requests` pending requests from distinct users on a fresh event (setup, not timed). */
async function eventWithRequests(hostId: number, users: AuthUser[], paid: boolean): Promise<{ event: Event; uuids: string[] }> {
  const event = await makeEvent(hostId, paid);
  const rows = await EventRequest.bulkCreate(users.map((u) => ({ event_id: event.id, requester_id: u.id, status: 'pending' as const, seats_requested: 1 })));
  await event.update({ requests_count: rows.length });
  return { event, uuids: rows.map((r) => r.uuid) };
}

/** Runs `job` for every item with CLIENTS concurrent workers; returns successes, refusals and seconds. */
async function race<T>(items: T[], job: (item: T, worker: number) => Promise<boolean>): Promise<{ ok: number; refused: number; secs: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  let next = 0;
  let ok = 0;
  let refused = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CLIENTS }, async (_, w) => {
    while (next < items.length) {
      const item = items[next++]!;
      if (await job(item, w)) ok++;
      else refused++;
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // Share of one core this Node process used: near 100% means the client process is the limit.
  return { ok, refused, secs, cpu: (cpu.user + cpu.system) / 1e6 / secs };
}

async function oversold(eventId: number): Promise<number> {
  const [row] = await sequelize().query<{ over: number }>(
    `SELECT GREATEST(0, (SELECT COALESCE(SUM(seats), 0) FROM event_attendee WHERE event_id = e.id AND status IN ('going','checked_in'))
       + (SELECT COALESCE(SUM(seats_reserved), 0) FROM capacity_reservation
            WHERE event_id = e.id AND NOT consumed AND released_at IS NULL AND expires_at > :now)
       - e.max_capacity, e.going_count - e.max_capacity)::int AS over FROM event e WHERE e.id = :eventId`,
    { replacements: { eventId, now: clock.now() }, type: QueryTypes.SELECT },
  );
  return row!.over;
}

async function baseline(hostId: number): Promise<{ ok: number; refused: number; secs: number; cpu: number; over: number }> {
  const event = await makeEvent(hostId, false);
  const clients = await Promise.all(Array.from({ length: CLIENTS }, async () => {
    const c = new pg.Client({ connectionString: withDatabase(server, dbName) });
    await c.connect();
    return c;
  }));
  const sql = 'UPDATE event SET going_count = going_count + $2 WHERE id = $1 AND going_count + $2 <= max_capacity';
  const r = await race(Array.from({ length: requests }, (_, i) => i), async (_i, w) => (await clients[w]!.query(sql, [event.id, 1])).rowCount === 1);
  await Promise.all(clients.map((c) => c.end()));
  await event.reload();
  return { ...r, over: Math.max(0, event.going_count - event.max_capacity) };
}

async function commands(hostId: number, users: AuthUser[], paid: boolean, spread = 1) {
  // spread > 1: the same accepts over `spread` separate events (a control with no shared event lock).
  const events = await Promise.all(Array.from({ length: spread }, (_, i) =>
    eventWithRequests(hostId, users.filter((_u, j) => j % spread === i), paid)));
  const event = events[0]!.event;
  const uuids = events.flatMap((e) => e.uuids);
  const host = await AuthUser.findByPk(hostId, { rejectOnEmpty: true });
  const ctx = () => createContext({ source: 'system', actor: { id: host.id, uuid: host.uuid, is_staff: false, is_superuser: false } });
  const errors = new Map<string, number>();
  const r = await race(uuids, async (uuid) => {
    try {
      await acceptRequest(ctx(), { requestUuid: uuid });
      return true;
    } catch (err) {
      const msg = (err as Error).message;
      errors.set(msg, (errors.get(msg) ?? 0) + 1);
      return false;
    }
  });
  const over = (await Promise.all(events.map((e) => oversold(e.event.id)))).reduce((a, b) => a + b, 0);
  return { ...r, over, errors: Object.fromEntries(errors), event };
}

// Seating mints ticket codes from the server key.
setJwtSecret(crypto.randomBytes(32).toString('hex'));
await admin(`create database ${dbName}`);
try {
  connect(withDatabase(server, dbName), { poolMax: CLIENTS + 8 });
  await createMigrator(sequelize()).up();
  const host = await AuthUser.create({ username: '+910000000000' });
  const users = await AuthUser.bulkCreate(Array.from({ length: requests }, (_, i) => ({ username: `+91${String(6_000_000_000 + i)}` })));
  await UserProfile.bulkCreate(users.map((u, i) => ({ user_id: u.id, name: `Bench User ${i}`, gender: 'other' as const })));

  console.log(`joining contention: ONE event, capacity ${capacity}, ${requests} accepts, ${CLIENTS} concurrent clients\n`);
  const rows: [string, { ok: number; refused: number; secs: number; cpu: number; over: number }][] = [];
  rows.push(['raw SQL baseline (UPDATE … WHERE going+n <= cap)', await baseline(host.id)]);
  const free = await commands(host.id, users, false);
  rows.push(['acceptRequest, free event (attendee + ticket)', free]);
  const paid = await commands(host.id, users, true);
  rows.push(['acceptRequest, paid event (capacity hold)', paid]);
  rows.push(['raw SQL baseline, second run', await baseline(host.id)]);
  const control = await commands(host.id, users, false, CLIENTS);
  rows.push([`control: acceptRequest spread over ${CLIENTS} events`, control]);

  const base = (rows[0]![1].ok / rows[0]![1].secs + rows[3]![1].ok / rows[3]![1].secs) / 2;
  for (const [name, r] of rows) {
    const rate = r.ok / r.secs;
    console.log(`${name.padEnd(52)} accepted ${String(r.ok).padStart(5)}  refused ${String(r.refused).padStart(5)}  `
      + `${r.secs.toFixed(2).padStart(6)} s  ${rate.toFixed(0).padStart(6)} accepted/s  ${(100 * rate / base).toFixed(0).padStart(4)}% of baseline  node cpu ${(100 * r.cpu).toFixed(0).padStart(3)}%  oversold ${r.over}`);
  }
  console.log(`\nrefusals (commands): free ${JSON.stringify(free.errors)} · paid ${JSON.stringify(paid.errors)}`);
  const one = free.ok / free.secs;
  const spread = control.ok / control.secs;
  console.log(`one shared event vs ${CLIENTS} separate events (same work, no shared lock): ${(100 * one / spread).toFixed(0)}%`
    + ' — the rest of the gap to the baseline is the cost of the work itself, not waiting for the event lock');
  const bad = rows.slice(0, 4).some(([, r]) => r.over !== 0 || r.ok !== capacity) || control.over !== 0;
  if (bad) {
    console.error('FAILED: oversold, or not exactly capacity accepted');
    process.exitCode = 1;
  }
} finally {
  await disconnect();
  await admin(`drop database if exists ${dbName} with (force)`);
}
