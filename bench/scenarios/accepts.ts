/**
 * Accepts on ONE event: 32 concurrent clients accepting join requests through the joining command
 * (the code path of the API and the panel, in this process), beside a raw-SQL baseline that writes
 * the same rows — request transition, attendee, attendance record, ticket secret, notification,
 * two audit rows and the capacity-checked counter — as one statement (one transaction, one round
 * trip) on 32 pg connections, on the same database in the same run. For reference: the same rows as
 * separate statements in one BEGIN … COMMIT (claim last), and the one-row conditional UPDATE of the
 * counter alone. Oversold (seats going + live holds beyond capacity) must be 0, and exactly
 * `capacity` accepts must succeed. Sizes: --capacity (1,000; quick 40), --accepts (1.2×).
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { scratchDatabase } from '../lib/db.js';
import { race, type Race } from '../lib/load.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { createContext, systemContext } from '../../src/context.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { mintTicketSecret } from '../../src/modules/attendance/ticket-secret.js';
import { subjectDigest } from '../../src/modules/audit/chain.js';
import { sealAuditChain } from '../../src/modules/audit/commands/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { acceptRequest } from '../../src/modules/joining/commands/requests.js';

const CLIENTS = 32;

const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
  sequelize().query<T>(sql, { replacements, type: QueryTypes.SELECT });

/** A published event with `capacity` seats and `users.length` pending requests (setup, not timed). */
async function eventWithRequests(hostId: number, capacity: number, userIds: number[], paid: boolean): Promise<{ id: number; requests: { id: number; uuid: string; requester_id: number }[] }> {
  const start = new Date(clock.now().getTime() + 7 * DAY);
  const tag = crypto.randomBytes(4).toString('hex');
  const [event] = await q<{ id: number }>(
    `INSERT INTO event (host_id, title, slug, description, start_time, end_time, max_capacity, status, is_paid, ticket_price, cover_images)
     VALUES (:hostId, :title, :slug, 'Contention benchmark event.', :start, :end, :capacity, 'published', :paid, :price, '[]') RETURNING id`,
    { hostId, title: `Bench ${tag}`, slug: `bench-${tag}`, start, end: new Date(start.getTime() + 3 * HOUR), capacity, paid, price: paid ? '499.00' : '0.00' });
  const requests = await q<{ id: number; uuid: string; requester_id: number }>(
    `INSERT INTO event_request (event_id, requester_id, status, seats_requested)
     SELECT :eventId, u, 'pending', 1 FROM unnest(ARRAY[:userIds]::bigint[]) u RETURNING id, uuid, requester_id`,
    { eventId: event!.id, userIds });
  await q(`UPDATE event SET requests_count = :n WHERE id = :id RETURNING id`, { n: requests.length, id: event!.id });
  return { id: event!.id, requests };
}

/**
 * Untimed, before every phase: seal the chain up to here, so a command phase seals only its own audit
 * rows. Without it the baseline's rows (which ask for no seal) were sealed inside the next command phase.
 */
async function sealedChain(): Promise<void> {
  await settleSeal();
  while (!(await sealAuditChain(systemContext('system'))).done);
}

async function oversold(eventId: number): Promise<number> {
  const [r] = await q<{ over: number }>(
    `SELECT GREATEST(0, (SELECT COALESCE(SUM(seats), 0) FROM event_attendee WHERE event_id = e.id AND status IN ('going','checked_in'))
       + (SELECT COALESCE(SUM(seats_reserved), 0) FROM capacity_reservation
            WHERE event_id = e.id AND NOT consumed AND released_at IS NULL AND expires_at > now())
       - e.max_capacity, e.going_count - e.max_capacity)::int AS over FROM event e WHERE e.id = :eventId`, { eventId });
  return r!.over;
}

const TABLES = ['event_attendee', 'attendance_record', 'ticket_secret', 'notification', 'audit_log', 'capacity_reservation'];
async function rowCounts(): Promise<Record<string, number>> {
  const [r] = await q<Record<string, number>>(`SELECT ${TABLES.map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`).join(', ')}`);
  return r!;
}
const written = (before: Record<string, number>, after: Record<string, number>, n: number) =>
  Object.fromEntries(TABLES.map((t) => [t, Number(((after[t]! - before[t]!) / Math.max(1, n)).toFixed(2))]).filter(([, v]) => v));

/** The same rows as a free accept, in one statement; the counter's capacity check gates every write. */
const BASELINE = `
WITH c AS (UPDATE event SET going_count = going_count + 1, updated_at = $4
            WHERE id = $1 AND status = 'published' AND going_count + 1 <= max_capacity RETURNING id),
     r AS (UPDATE event_request SET status = 'accepted', updated_at = $4
            WHERE id = $2 AND status = 'pending' AND EXISTS (SELECT 1 FROM c) RETURNING id, requester_id),
     a AS (INSERT INTO event_attendee (event_id, user_id, request_id, seats, status, is_paid, price_paid, created_at, updated_at)
           SELECT $1, r.requester_id, r.id, 1, 'going', false, 0, $4, $4 FROM r RETURNING id, uuid, user_id),
     t AS (INSERT INTO attendance_record (event_id, user_id, attendee_id, seats, status, payment_status, ticket_secret, created_at, updated_at)
           SELECT $1, a.user_id, a.id, 1, 'going', 'unpaid', $8, $4, $4 FROM a RETURNING id),
     s AS (INSERT INTO ticket_secret (attendance_record_id, secret_hash, secret_salt, secret_lookup, created_at, updated_at)
           SELECT t.id, $6, $7, $8, $4, $4 FROM t RETURNING id),
     n AS (INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read, created_at, updated_at)
           SELECT r.requester_id, $3, 'event_request', 'Your request was accepted', 'You''re going to the bench event.', 'event_request', r.id, '{}', false, $4, $4
             FROM r RETURNING id)
INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                       ip_address, severity, is_successful, subject_digest, created_at, updated_at)
SELECT $3, a.user_id, x.action, x.command, x.object_type, CASE WHEN x.object_type = 'event_attendee' THEN a.id ELSE $2 END,
       CASE WHEN x.object_type = 'event_attendee' THEN a.uuid END, '{"status":"accepted"}', '{}', NULL, 'low', true, $5, $4, $4
  FROM a CROSS JOIN (VALUES ('update', 'joining.request.accept', 'event_request'), ('create', 'joining.attendee.admit', 'event_attendee'))
       AS x(action, command, object_type)
RETURNING id`;

/**
 * The same rows as separate statements in one BEGIN … COMMIT (the plain transaction the accept was
 * first compared with), the capacity claim last as in the commands, so the event row is held only
 * from the claim to the commit; a refused claim rolls everything back.
 */
const PLAIN = {
  request: `UPDATE event_request SET status = 'accepted', updated_at = $2 WHERE id = $1 AND status = 'pending' RETURNING requester_id`,
  attendee: `INSERT INTO event_attendee (event_id, user_id, request_id, seats, status, is_paid, price_paid, created_at, updated_at)
             VALUES ($1, $2, $3, 1, 'going', false, 0, $4, $4) RETURNING id, uuid`,
  record: `INSERT INTO attendance_record (event_id, user_id, attendee_id, seats, status, payment_status, ticket_secret, created_at, updated_at)
           VALUES ($1, $2, $3, 1, 'going', 'unpaid', $4, $5, $5) RETURNING id`,
  secret: `INSERT INTO ticket_secret (attendance_record_id, secret_hash, secret_salt, secret_lookup, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)`,
  notification: `INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read, created_at, updated_at)
                 VALUES ($1, $2, 'event_request', 'Your request was accepted', 'You''re going to the bench event.', 'event_request', $3, '{}', false, $4, $4)`,
  audit: `INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                                 ip_address, severity, is_successful, subject_digest, created_at, updated_at)
          VALUES ($1, $2, 'update', 'joining.request.accept', 'event_request', $3, NULL, '{"status":"accepted"}', '{}', NULL, 'low', true, $6, $7, $7),
                 ($1, $2, 'create', 'joining.attendee.admit', 'event_attendee', $4, $5, '{"status":"accepted"}', '{}', NULL, 'low', true, $6, $7, $7)`,
  claim: `UPDATE event SET going_count = going_count + 1, updated_at = $2
           WHERE id = $1 AND status = 'published' AND going_count + 1 <= max_capacity`,
};

async function plainAccept(c: pg.Client, eventId: number, requestId: number, hostId: number, digest: string): Promise<void> {
  const now = new Date();
  const secret = mintTicketSecret();
  await c.query('BEGIN');
  try {
    const req = await c.query<{ requester_id: number }>(PLAIN.request, [requestId, now]);
    if (!req.rowCount) throw new Error('Request is not pending');
    const user = req.rows[0]!.requester_id;
    const attendee = (await c.query<{ id: number; uuid: string }>(PLAIN.attendee, [eventId, user, requestId, now])).rows[0]!;
    const record = (await c.query<{ id: number }>(PLAIN.record, [eventId, user, attendee.id, secret.secret_lookup, now])).rows[0]!;
    await c.query(PLAIN.secret, [record.id, secret.secret_hash, secret.secret_salt, secret.secret_lookup, now]);
    await c.query(PLAIN.notification, [user, hostId, requestId, now]);
    await c.query(PLAIN.audit, [hostId, user, requestId, attendee.id, attendee.uuid, digest, now]);
    if (!(await c.query(PLAIN.claim, [eventId, now])).rowCount) throw new Error('Event is full');
    await c.query('COMMIT');
  } catch (err) {
    await c.query('ROLLBACK');
    throw err;
  }
}

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const capacity = opts.sizes?.capacity ?? (opts.quick ? 40 : 1000);
  const accepts = opts.sizes?.accepts ?? Math.round(capacity * 1.2);
  const db = await scratchDatabase(opts.databaseUrl, 'accepts', opts.log);
  connect(db.url, { poolMax: CLIENTS + 8 });
  // Ticket secrets are keyed from the signing key, as in the server.
  setJwtSecret(crypto.randomBytes(32).toString('hex'));
  const pools: pg.Client[] = [];
  try {
    const [host] = await q<{ id: number; uuid: string }>(`INSERT INTO auth_user (username) VALUES ('+910000000000') RETURNING id, uuid`);
    const users = await q<{ id: number }>(
      `INSERT INTO auth_user (username) SELECT '+91' || (6000000000 + g) FROM generate_series(1, :n) g RETURNING id`, { n: accepts });
    await q(`INSERT INTO user_profile (user_id, name, gender) SELECT u, 'Bench User ' || u, 'other' FROM unnest(ARRAY[:ids]::bigint[]) u RETURNING id`,
      { ids: users.map((u) => u.id) });
    const userIds = users.map((u) => u.id);
    const ctx = () => createContext({ source: 'system', actor: { id: host!.id, uuid: host!.uuid, is_staff: false, is_superuser: false } });
    for (let i = 0; i < CLIENTS; i++) {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      pools.push(c);
    }

    const oneRow = async () => {
      const ev = await eventWithRequests(host!.id, capacity, [], false);
      const sql = 'UPDATE event SET going_count = going_count + $2 WHERE id = $1 AND going_count + $2 <= max_capacity';
      const r = await race(Array.from({ length: accepts }, (_, i) => i), CLIENTS, async (_i, w) => {
        if ((await pools[w]!.query(sql, [ev.id, 1])).rowCount !== 1) throw new Error('Event is full');
      });
      return { ...r, over: await oversold(ev.id) };
    };
    /** A raw-SQL phase on a fresh event: `accept` writes one request's rows on worker `w`'s connection. */
    const raw = async (accept: (c: pg.Client, eventId: number, requestId: number, digest: string) => Promise<void>) => {
      const ev = await eventWithRequests(host!.id, capacity, userIds, false);
      const digest = subjectDigest(host!.id, null);
      await sealedChain();
      const before = await rowCounts();
      const r = await race(ev.requests, CLIENTS, (req, w) => accept(pools[w]!, ev.id, req.id, digest));
      return { ...r, over: await oversold(ev.id), perAccept: written(before, await rowCounts(), r.ok) };
    };
    const rawFull = () => raw(async (c, eventId, requestId, digest) => {
      const secret = mintTicketSecret();
      const res = await c.query(BASELINE, [eventId, requestId, host!.id, new Date(), digest, secret.secret_hash, secret.secret_salt, secret.secret_lookup]);
      if (res.rowCount !== 2) throw new Error('Event is full');
    });
    const rawPlain = () => raw((c, eventId, requestId, digest) => plainAccept(c, eventId, requestId, host!.id, digest));
    const commands = async (paid: boolean) => {
      const ev = await eventWithRequests(host!.id, capacity, userIds, paid);
      await sealedChain();
      const before = await rowCounts();
      const r = await race(ev.requests, CLIENTS, async (req) => {
        await acceptRequest(ctx(), { requestUuid: req.uuid });
      });
      return { ...r, over: await oversold(ev.id), perAccept: written(before, await rowCounts(), r.ok) };
    };

    // Warm the command path and the plans (not measured), then baseline / app / baseline.
    await commands(false);
    const raw1 = await rawFull();
    const free = await commands(false);
    const plain = await rawPlain();
    const raw2 = await rawFull();
    const paid = await commands(true);
    const single = await oneRow();
    const rate = (r: Race) => r.ok / r.secs;
    const baseline = (rate(raw1) + rate(raw2)) / 2;
    opts.log(`commands (free) ${rate(free).toFixed(0)}/s, rows per accept ${JSON.stringify(free.perAccept)}; refusals ${JSON.stringify(free.errors)}`);
    opts.log(`raw SQL ${rate(raw1).toFixed(0)}/s and ${rate(raw2).toFixed(0)}/s, rows per accept ${JSON.stringify(raw1.perAccept)}`);
    opts.log(`plain transaction (9 round trips, claim last) ${rate(plain).toFixed(0)}/s, rows per accept ${JSON.stringify(plain.perAccept)}`);
    opts.log(`commands (paid, holds) ${rate(paid).toFixed(0)}/s; one-row UPDATE ${rate(single).toFixed(0)}/s`);
    opts.log(`bench-process CPU per attempt (ms): free ${free.cpuMsPer.toFixed(2)}, paid ${paid.cpuMsPer.toFixed(2)}, raw SQL ${raw1.cpuMsPer.toFixed(2)}/${raw2.cpuMsPer.toFixed(2)}, one-row ${single.cpuMsPer.toFixed(2)}`);
    const mach = (r: Race) => `${r.machineCpuMsPer.toFixed(2)} (${(100 * r.machineBusy).toFixed(0)}% busy)`;
    opts.log(`machine CPU per attempt (ms): free ${mach(free)}, paid ${mach(paid)}, raw SQL ${mach(raw1)}/${mach(raw2)}, plain transaction ${mach(plain)}, one-row ${mach(single)}`);
    const phases = [free, paid, raw1, raw2, plain, single];
    const exact = phases.every((r) => r.ok === capacity);
    const over = phases.reduce((s, r) => s + r.over, 0);
    if (!exact) opts.log(`NOT exactly ${capacity} accepted: ${phases.map((r) => r.ok).join(', ')}`);
    const label = `accepts ONE event cap ${capacity}, 32 clients`;
    return [
      row(`${label}: free, commands vs raw SQL`, rate(free), 'accepts/s', baseline, '≥ 0.9× raw SQL', rate(free) / baseline >= 0.9),
      row(`${label}: paid (holds), commands vs raw SQL`, rate(paid), 'accepts/s', baseline, 'reference', null),
      row(`${label}: free, commands vs a plain transaction (same rows, 9 round trips, claim last)`, rate(free), 'accepts/s', rate(plain), 'reference', null),
      row(`${label}: one-row UPDATE (reference)`, rate(single), 'accepts/s', null, 'reference', null),
      row(`${label}: oversold (+ wrong accepted counts)`, over + (exact ? 0 : 1), 'seats', null, '= 0', over === 0 && exact),
    ];
  } finally {
    for (const c of pools) await c.end();
    await disconnect();
    await db.drop();
  }
}
