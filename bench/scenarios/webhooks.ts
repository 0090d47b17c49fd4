/**
 * Payment webhooks under a burst: 100 concurrent Stripe deliveries, signed with Stripe's own scheme,
 * half of them duplicates (the same event id twice), for orders spread over 10 events — sent over HTTP to the
 * in-process app (raw body, signature check, store once per provider event id, fulfilment: order
 * paid, transaction, hold consumed, attendee + ticket through the seating path, receipt, audit).
 * Beside it, in the same run, a like-for-like baseline: the bare idempotent writes over the same
 * number of pg connections — INSERT the delivery ON CONFLICT DO NOTHING, and for the first of each
 * pair a conditional UPDATE of the order to paid — with no HTTP, signature or fulfilment.
 * Invariant: every order paid exactly once (one delivery row, one payment transaction, one attendee).
 *
 *   npm run bench   (or: node --import tsx bench/scenarios/webhooks.ts [--quick])
 *
 * It works in a scratch database (created, migrated, dropped) on the server of databaseUrl.
 */
import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import Stripe from 'stripe';
import { QueryTypes } from 'sequelize';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { createMigrator } from '../../src/db/migrate.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { AuthUser, CapacityReservation, Event, type PaymentOrder } from '../../src/models/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { placeOrder } from '../../src/modules/payments/commands/index.js';

/** The harness's row (bench/lib/types.ts once the bench branch lands it; the same shape). */
export interface BenchRow {
  scenario: string; figure: number; unit: string; baseline: number | null; ratio: number | null; goal: string; met: boolean | null;
}

const BURST = 100;
/** The burst's orders are spread over this many events (a fulfilment holds its event's row from the claim to the commit). */
const EVENTS = 10;
const GOAL = 500;
const SECRET = `whsec_bench_${crypto.randomBytes(8).toString('hex')}`;

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

/** `n` buyers with a live 1-seat hold and an open Stripe order each on `event` (setup, not timed). */
async function seedOrders(event: Event, n: number, offset: number): Promise<PaymentOrder[]> {
  const users = await AuthUser.bulkCreate(Array.from({ length: n }, (_, i) => ({ username: `+91${String(8_000_000_000 + offset + i)}` })));
  const holds = await CapacityReservation.bulkCreate(users.map((u) => ({
    event_id: event.id, user_id: u.id, seats_reserved: 1, consumed: false, expires_at: new Date(clock.now().getTime() + HOUR),
  })));
  const orders: PaymentOrder[] = [];
  for (const [i, u] of users.entries()) {
    const ctx = createContext({ source: 'api', actor: { id: u.id, uuid: u.uuid, is_staff: false, is_superuser: false } });
    orders.push((await placeOrder(ctx, { eventRef: event.uuid, reservationKey: holds[i]!.reservation_key, provider: 'stripe' })).order);
  }
  return orders;
}

/** One signed payment_intent.succeeded delivery per order (the same bytes and header for its duplicate). */
function deliveries(orders: PaymentOrder[]) {
  return orders.map((o) => {
    const amount = Math.round(Number(o.amount) * 100);
    const payload = JSON.stringify({
      id: `evt_${crypto.randomBytes(10).toString('hex')}`, object: 'event', type: 'payment_intent.succeeded', created: Math.floor(clock.now().getTime() / 1000),
      data: { object: { id: `pi_${o.order_id.slice(4)}`, object: 'payment_intent', amount, amount_received: amount, currency: 'inr', metadata: { order_id: o.order_id } } },
    });
    const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: SECRET, timestamp: Math.floor(clock.now().getTime() / 1000) });
    return { order: o, payload, signature, eventId: JSON.parse(payload).id as string };
  });
}

/** Each delivery twice (half the burst are duplicates), shuffled, all sent at once; seconds and statuses. */
async function burst(base: string, list: ReturnType<typeof deliveries>) {
  const sends = [...list, ...list].sort(() => Math.random() - 0.5);
  const agent = new http.Agent({ keepAlive: true, maxSockets: BURST });
  const t0 = process.hrtime.bigint();
  const one = (d: (typeof sends)[number]) => new Promise<number>((resolve, reject) => {
    const req = http.request(`${base}/api/payments/webhooks/stripe`, {
      method: 'POST', agent, headers: { 'Content-Type': 'application/json', 'Stripe-Signature': d.signature, 'Content-Length': Buffer.byteLength(d.payload) },
    }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(d.payload);
  });
  const statuses = await Promise.all(sends.map(one));
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  agent.destroy();
  return { secs, ok: statuses.filter((s) => s === 200).length, sent: sends.length };
}

export default async function run(opts: { quick: boolean; databaseUrl: string; log: (s: string) => void }): Promise<BenchRow[]> {
  const rounds = opts.quick ? 1 : 5;
  const unique = BURST / 2;
  const dbName = `loopin_bench_webhooks_${crypto.randomBytes(4).toString('hex')}`;
  const previous = (() => { try { return config(); } catch { return undefined; } })();
  await admin(opts.databaseUrl, `create database ${dbName}`);
  let server: http.Server | undefined;
  try {
    setConfig({
      ...loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: undefined, LOG_LEVEL: 'silent' }),
      SCHEDULER: false, STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: undefined,
    });
    setJwtSecret(crypto.randomBytes(32).toString('hex'));
    connect(withDatabase(opts.databaseUrl, dbName), { poolMax: 40 });
    await createMigrator(sequelize()).up();
    const { buildApp } = await import('../../src/app.js');
    server = http.createServer(await buildApp({ admin: false }));
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const host = await AuthUser.create({ username: '+910000000009' });
    const start = new Date(clock.now().getTime() + 7 * DAY);
    const newEvent = (label: string) => Event.create({
      host_id: host.id, title: `Bench sale ${label}`, slug: `bench-sale-${label}-${crypto.randomBytes(3).toString('hex')}`,
      description: 'Webhook benchmark event.', start_time: start, end_time: new Date(start.getTime() + 3 * HOUR),
      max_capacity: 0, status: 'published', is_paid: true, ticket_price: '499.00', cover_images: [],
    });
    opts.log(`webhooks: ${rounds} burst(s) of ${BURST} signed Stripe deliveries (${unique} orders on ${EVENTS} events, each delivered twice)`);

    // Warm-up burst (JIT, pool, plan caches) on its own event.
    const warm = await newEvent('warm');
    await burst(base, deliveries(await seedOrders(warm, unique, 900_000)));

    // Baseline: the bare idempotent writes over as many connections, on orders of their own.
    const baseEvent = await newEvent('base');
    const baseOrders = await seedOrders(baseEvent, unique * rounds, 0);
    const clients = await Promise.all(Array.from({ length: 40 }, async () => {
      const c = new pg.Client({ connectionString: withDatabase(opts.databaseUrl, dbName) });
      await c.connect();
      return c;
    }));
    let baseSecs = 0;
    for (let r = 0; r < rounds; r++) {
      const list = deliveries(baseOrders.slice(r * unique, (r + 1) * unique));
      const sends = [...list, ...list].sort(() => Math.random() - 0.5);
      let next = 0;
      const t0 = process.hrtime.bigint();
      await Promise.all(clients.map(async (c) => {
        while (next < sends.length) {
        const d = sends[next++]!;
        const stored = await c.query(
          `INSERT INTO payment_webhook (provider, provider_event_id, webhook_type, payload, signature, processed, created_at, updated_at)
           VALUES ('stripe', $1, 'payment_intent.succeeded', $2::jsonb, $3, true, now(), now()) ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id`,
          [d.eventId, d.payload, d.signature],
        );
        if (stored.rowCount) await c.query("UPDATE payment_order SET status = 'paid', paid_at = now() WHERE id = $1 AND status = 'created'", [d.order.id]);
        }
      }));
      baseSecs += Number(process.hrtime.bigint() - t0) / 1e9;
    }
    await Promise.all(clients.map((c) => c.end()));

    // The app: signed deliveries over HTTP, fulfilment included.
    let secs = 0;
    let ok = 0;
    const events: Event[] = [];
    for (let r = 0; r < rounds; r++) {
      const orders: PaymentOrder[] = [];
      for (let e = 0; e < EVENTS; e++) {
        const event = await newEvent(`r${r}e${e}`);
        events.push(event);
        orders.push(...(await seedOrders(event, unique / EVENTS, 100_000 * (r + 1) + 1000 * e)));
      }
      const b = await burst(base, deliveries(orders));
      secs += b.secs;
      ok += b.ok;
    }
    await settleSeal();
    const [check] = await sequelize().query<{ paid: number; txns: number; hooks: number; attendees: number; going: number }>(`
      SELECT (SELECT COUNT(*) FROM payment_order WHERE event_id = ANY($e) AND status = 'paid')::int AS paid,
             (SELECT COUNT(*) FROM payment_transaction t JOIN payment_order o ON o.id = t.payment_order_id
               WHERE o.event_id = ANY($e) AND t.transaction_type = 'payment')::int AS txns,
             (SELECT COUNT(*) FROM payment_webhook w JOIN payment_order o ON o.id = w.payment_order_id WHERE o.event_id = ANY($e))::int AS hooks,
             (SELECT COUNT(*) FROM event_attendee WHERE event_id = ANY($e) AND is_paid AND status = 'going')::int AS attendees,
             (SELECT COALESCE(SUM(going_count), 0) FROM event WHERE id = ANY($e))::int AS going`,
    { bind: { e: events.map((e) => e.id) }, type: QueryTypes.SELECT });
    const expected = unique * rounds;
    const exact = ok === 2 * expected && [check!.paid, check!.txns, check!.hooks, check!.attendees, check!.going].every((n) => n === expected);
    const total = 2 * expected;
    const rate = total / secs;
    const baseRate = total / baseSecs;
    opts.log(`  baseline (bare INSERT … ON CONFLICT + conditional UPDATE, 40 connections): ${total} in ${baseSecs.toFixed(2)} s → ${baseRate.toFixed(0)} deliveries/s`);
    opts.log(`  app (HTTP, Stripe signature, store once, fulfilment): ${total} in ${secs.toFixed(2)} s → ${rate.toFixed(0)} deliveries/s (${(100 * rate / baseRate).toFixed(0)}% of baseline)`);
    opts.log(`  exactly once: ${JSON.stringify(check)} for ${expected} orders, ${ok}/${total} answered 200`);
    return [
      {
        scenario: 'webhooks: 100 concurrent signed Stripe deliveries, half duplicates (app vs bare idempotent SQL)',
        figure: Math.round(rate), unit: 'deliveries/s', baseline: Math.round(baseRate), ratio: Number((rate / baseRate).toFixed(3)),
        goal: `≥ ${GOAL} deliveries/s`, met: rate >= GOAL,
      },
      {
        scenario: 'webhooks: every order paid exactly once (delivery rows, payment transactions, paid attendees, going_count)',
        figure: exact ? 1 : 0, unit: 'bool', baseline: null, ratio: null, goal: '= 1 (processed exactly once)', met: exact,
      },
    ];
  } finally {
    if (server) await new Promise((r) => server!.close(r));
    await disconnect();
    await admin(opts.databaseUrl, `drop database if exists ${dbName} with (force)`);
    if (previous) setConfig(previous);
  }
}

// Run on its own: node --import tsx bench/scenarios/webhooks.ts [--quick]
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await run({
    quick: process.argv.includes('--quick'),
    databaseUrl: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    log: (s) => console.log(s),
  });
  console.log(JSON.stringify(rows, null, 2));
  if (rows.some((r) => r.met === false)) process.exitCode = 1;
}
