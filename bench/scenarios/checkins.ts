/**
 * Check-ins per second at 32 doors on ONE event: every ticket's typed code checked in through the
 * check-in command (the same code path as POST /events/{event}/checkin: event lookup, code lookup and
 * salted-hash check, the one conditional UPDATE with its audit row), beside a raw-SQL baseline — a
 * bare `UPDATE attendance_record SET status = 'checked_in' … WHERE id = $1 AND status = 'going'` over
 * 32 pg connections on tickets of the same event — in the same run. Afterwards every ticket is
 * scanned again at another door: all must be refused (no ticket checked in twice).
 *
 *   npm run bench   (or: node --import tsx bench/scenarios/checkins.ts [--quick])
 *
 * It works in a scratch database (created, migrated, dropped) on the server of databaseUrl.
 */
import crypto from 'node:crypto';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import { QueryTypes } from 'sequelize';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { createMigrator } from '../../src/db/migrate.js';
import { clock, HOUR } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { AuthUser, Event } from '../../src/models/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { checkIn } from '../../src/modules/attendance/commands/index.js';
import { mintTicketSecret, ticketCodeFor } from '../../src/modules/attendance/ticket-secret.js';

/** The harness's row (bench/lib/types.ts once the bench branch lands it; the same shape). */
export interface BenchRow {
  scenario: string; figure: number; unit: string; baseline: number | null; ratio: number | null; goal: string; met: boolean | null;
}

const DOORS = 32;
/**
 * The command must keep at least this share of the bare UPDATE's rate: it makes 3 round trips (event,
 * ticket, the write with its audit row) to the baseline's 1, and its client CPU (~2 ms) is most of the gap.
 */
const GOAL_RATIO = 0.1;

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin(server: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: withDatabase(server, 'postgres') });
  await c.connect();
  try { await c.query(sql); } finally { await c.end(); }
}

/** Runs `job` for every item with DOORS concurrent workers; successes, refusals and seconds. */
async function race<T>(items: T[], job: (item: T, door: number) => Promise<boolean>) {
  let next = 0;
  let ok = 0;
  let refused = 0;
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await Promise.all(Array.from({ length: DOORS }, async (_, door) => {
    while (next < items.length) {
      const item = items[next++]!;
      if (await job(item, door)) ok++;
      else refused++;
    }
  }));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  // Client CPU per item: what this Node process spent, beside the wall time.
  return { ok, refused, secs, cpuMsPer: (cpu.user + cpu.system) / 1000 / Math.max(1, items.length) };
}

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

const shuffle = <T>(items: T[]): T[] => {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = crypto.randomInt(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

export default async function run(opts: { quick: boolean; databaseUrl: string; log: (s: string) => void }): Promise<BenchRow[]> {
  const tickets = opts.quick ? 300 : 5000;
  const dbName = `loopin_bench_checkins_${crypto.randomBytes(4).toString('hex')}`;
  const previous = (() => { try { return config(); } catch { return undefined; } })();
  await admin(opts.databaseUrl, `create database ${dbName}`);
  try {
    setConfig({ ...loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: undefined }), SCHEDULER: false });
    setJwtSecret(crypto.randomBytes(32).toString('hex'));
    connect(withDatabase(opts.databaseUrl, dbName), { poolMax: DOORS + 8 });
    await createMigrator(sequelize()).up();
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
      const c = new pg.Client({ connectionString: withDatabase(opts.databaseUrl, dbName) });
      await c.connect();
      return c;
    }));
    const sql = "UPDATE attendance_record SET status = 'checked_in', checked_in_at = now(), updated_at = now() WHERE id = $1 AND status = 'going'";
    const base = await race(shuffle(viaSql), async (t, door) => (await clients[door]!.query(sql, [t.id])).rowCount === 1);
    await Promise.all(clients.map((c) => c.end()));

    const ctx = () => createContext({ source: 'system', actor: { id: host.id, uuid: host.uuid, is_staff: false, is_superuser: false } });
    const errors = new Map<string, number>();
    const attempt = async (t: { code: string }) => {
      try {
        await checkIn(ctx(), event.uuid, { ticket_secret: t.code });
        return true;
      } catch (err) {
        const msg = (err as Error).message.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/, '<time>');
        errors.set(msg, (errors.get(msg) ?? 0) + 1);
        return false;
      }
    };
    // Warm the code paths (JIT, pool, plan caches) on tickets of their own before timing.
    await race(warmup, attempt);
    const cmd = await race(shuffle(viaCommand), attempt);
    // Every ticket once more at another door: none may go in twice.
    errors.clear();
    const again = await race(shuffle(viaCommand), attempt);
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
    opts.log(`  second scan of every ticket: ${again.ok} admitted, ${again.refused} refused ${JSON.stringify(Object.fromEntries(errors))}`);
    if (!exact) opts.log(`  FAILED: expected exactly ${tickets} check-ins per run and none twice (rows: ${JSON.stringify(row)})`);
    return [{
      scenario: 'checkins: 32 doors, one event (checkIn by typed code vs raw conditional UPDATE)',
      figure: Math.round(rate), unit: 'check-ins/s', baseline: Math.round(baseRate), ratio: Number((rate / baseRate).toFixed(3)),
      goal: `≥ ${GOAL_RATIO * 100}% of the raw-SQL baseline; every ticket in exactly once`, met: exact && rate / baseRate >= GOAL_RATIO,
    }];
  } finally {
    await disconnect();
    await admin(opts.databaseUrl, `drop database if exists ${dbName} with (force)`);
    if (previous) setConfig(previous);
  }
}

// Run on its own: node --import tsx bench/scenarios/checkins.ts [--quick]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({
    quick: process.argv.includes('--quick'),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(rows, null, 2));
  if (rows.some((r) => r.met === false)) process.exitCode = 1;
}
