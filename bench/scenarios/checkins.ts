/**
 * Check-ins per second at 32 doors on ONE event: every ticket's typed code checked in through the
 * check-in command (the same code path as POST /events/{event}/checkin: event lookup, code lookup and
 * salted-hash check, the one conditional UPDATE with its audit row), beside a raw-SQL baseline — a
 * bare `UPDATE attendance_record SET status = 'checked_in' … WHERE id = $1 AND status = 'going'` over
 * 32 pg connections on tickets of the same event — in the same run. Afterwards every ticket is
 * scanned again at another door: all must be refused (no ticket checked in twice).
 *
 *   npm run bench -- --only=checkins [--quick]
 *
 * It works in a scratch database (created, migrated, dropped) on the server of databaseUrl.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { scratchDatabase } from '../lib/db.js';
import { race, shuffle } from '../lib/load.js';
import { row as benchRow, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { clock, HOUR } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { AuthUser, Event } from '../../src/models/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { checkIn } from '../../src/modules/attendance/commands/index.js';
import { mintTicketSecret, ticketCodeFor } from '../../src/modules/attendance/ticket-secret.js';

const DOORS = 32;
/**
 * The command must keep at least this share of the bare UPDATE's rate: it makes 3 round trips (event,
 * ticket, the write with its audit row) to the baseline's 1, and its client CPU (~2 ms) is most of the gap.
 */
const GOAL_RATIO = 0.1;

/** `n` going tickets on `event`, each with its minted secret (setup, not timed); returns id and code of each. */
async function seedTickets(event: Event, n: number, offset: number): Promise<{ id: number; code: string }[]> {
  const users = await AuthUser.bulkCreate(Array.from({ length: n }, (_, i) => ({ username: `+91${String(7_000_000_000 + offset + i)}` })));
  const secrets = users.map(() => mintTicketSecret());
  const rows = await sequelize().query<{ id: number; user_id: number }>(`
    WITH a AS (
      INSERT INTO event_attendee (event_id, user_id, seats, status, is_paid, price_paid, created_at, updated_at)
      SELECT $event, u, 1, 'going', false, 0, now(), now() FROM unnest($users::bigint[]) u RETURNING id, user_id
    )
    INSERT INTO attendance_record (event_id, user_id, attendee_id, seats, status, payment_status, ticket_secret, created_at, updated_at)
    SELECT $event, a.user_id, a.id, 1, 'going', 'unpaid', s.lookup, now(), now()
      FROM a JOIN jsonb_to_recordset($secrets::jsonb) AS s(user_id BIGINT, lookup TEXT) ON s.user_id = a.user_id
    RETURNING id, user_id`, {
    bind: { event: event.id, users: users.map((u) => u.id), secrets: JSON.stringify(users.map((u, i) => ({ user_id: u.id, lookup: secrets[i]!.secret_lookup }))) },
    type: QueryTypes.SELECT,
  });
  const byUser = new Map(rows.map((r) => [r.user_id, r.id]));
  await sequelize().query(`
    INSERT INTO ticket_secret (attendance_record_id, secret_hash, secret_salt, secret_lookup, created_at, updated_at)
    SELECT x.id, x.hash, x.salt, x.lookup, now(), now() FROM jsonb_to_recordset($rows::jsonb) AS x(id BIGINT, hash TEXT, salt TEXT, lookup TEXT)`, {
    bind: { rows: JSON.stringify(users.map((u, i) => ({ id: byUser.get(u.id), hash: secrets[i]!.secret_hash, salt: secrets[i]!.secret_salt, lookup: secrets[i]!.secret_lookup }))) },
  });
  return users.map((u, i) => ({ id: byUser.get(u.id)!, code: ticketCodeFor(secrets[i]!.secret_salt) }));
}

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const tickets = opts.quick ? 300 : 5000;
  const previous = (() => { try { return config(); } catch { return undefined; } })();
  const db = await scratchDatabase(opts.databaseUrl, 'checkins', opts.log);
  try {
    setConfig({ ...loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: undefined }), SCHEDULER: false });
    setJwtSecret(crypto.randomBytes(32).toString('hex'));
    connect(db.url, { poolMax: DOORS + 8 });
    const host = await AuthUser.create({ username: '+910000000001' });
    const start = new Date(clock.now().getTime() + HOUR);
    const event = await Event.create({
      host_id: host.id, title: 'Bench door', slug: `bench-door-${crypto.randomBytes(3).toString('hex')}`,
      description: 'Check-in benchmark event.', start_time: start, end_time: new Date(start.getTime() + 3 * HOUR),
      max_capacity: 0, status: 'published', is_paid: false, ticket_price: '0.00', cover_images: [],
    });
    const viaCommand = await seedTickets(event, tickets, 0);
    const viaSql = await seedTickets(event, tickets, tickets);
    const warmup = await seedTickets(event, 64, 2 * tickets);
    await sequelize().query('ANALYZE attendance_record; ANALYZE ticket_secret;');
    opts.log(`checkins: ONE event, ${tickets} tickets per run, ${DOORS} doors`);

    // Baseline: the bare conditional update, nothing else.
    const clients = await Promise.all(Array.from({ length: DOORS }, async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    }));
    const sql = "UPDATE attendance_record SET status = 'checked_in', checked_in_at = now(), updated_at = now() WHERE id = $1 AND status = 'going'";
    const base = await race(shuffle(viaSql), DOORS, async (t, door) => (await clients[door]!.query(sql, [t.id])).rowCount === 1);
    await Promise.all(clients.map((c) => c.end()));

    const ctx = () => createContext({ source: 'system', actor: { id: host.id, uuid: host.uuid, is_staff: false, is_superuser: false } });
    const attempt = async (t: { code: string }) => {
      await checkIn(ctx(), event.uuid, { ticket_secret: t.code });
    };
    // Warm the code paths (JIT, pool, plan caches) on tickets of their own before timing.
    await race(warmup, DOORS, attempt);
    const cmd = await race(shuffle(viaCommand), DOORS, attempt);
    // Every ticket once more at another door: none may go in twice.
    const again = await race(shuffle(viaCommand), DOORS, attempt);
    await settleSeal();
    const [row] = await sequelize().query<{ in: number; audits: number }>(`
      SELECT (SELECT COUNT(*) FROM attendance_record WHERE event_id = $e AND status = 'checked_in')::int AS in,
             (SELECT COUNT(*) FROM audit_log WHERE command = 'attendance.checkin' AND is_successful)::int AS audits`,
    { bind: { e: event.id }, type: QueryTypes.SELECT });

    const baseRate = base.ok / base.secs;
    const rate = cmd.ok / cmd.secs;
    const exact = base.ok === tickets && cmd.ok === tickets && again.ok === 0 && row!.in === 2 * tickets + warmup.length && row!.audits === tickets + warmup.length;
    opts.log(`  raw SQL conditional UPDATE: ${base.ok} in ${base.secs.toFixed(2)} s → ${baseRate.toFixed(0)} check-ins/s, node cpu ${base.cpuMsPer.toFixed(2)} ms each`);
    opts.log(`  checkIn command (typed code): ${cmd.ok} in ${cmd.secs.toFixed(2)} s → ${rate.toFixed(0)} check-ins/s (${(100 * rate / baseRate).toFixed(0)}% of baseline), node cpu ${cmd.cpuMsPer.toFixed(2)} ms each`);
    opts.log(`  second scan of every ticket: ${again.ok} admitted, ${again.refused} refused ${JSON.stringify(again.errors)}`);
    if (!exact) opts.log(`  FAILED: expected exactly ${tickets} check-ins per run and none twice (rows: ${JSON.stringify(row)})`);
    return [benchRow('checkins: 32 doors, one event (checkIn by typed code vs raw conditional UPDATE)', rate, 'check-ins/s', baseRate,
      `≥ ${GOAL_RATIO * 100}% of the raw-SQL baseline; every ticket in exactly once`, exact && rate / baseRate >= GOAL_RATIO)];
  } finally {
    await disconnect();
    await db.drop();
    if (previous) setConfig(previous);
  }
}

