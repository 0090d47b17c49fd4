/**
 * Payment webhooks under a burst: 100 concurrent Stripe deliveries, signed with Stripe's own scheme,
 * half of them duplicates (the same event id twice), for orders spread over 10 events — sent over
 * HTTP to the production app (bench/lib/app.ts: compiled dist/, NODE_ENV=production, its pool of 20)
 * which verifies the raw body's signature, stores each provider event id once and fulfils: order
 * paid, transaction, hold consumed, attendee + ticket through the seating path, receipt, ledger,
 * host event, audit. Beside it, in the same run, a like-for-like baseline: the bare idempotent
 * writes over as many pg connections as the app's pool — INSERT the delivery ON CONFLICT DO NOTHING,
 * and for the first of each pair a conditional UPDATE of the order to paid — with no HTTP,
 * signature or fulfilment. Invariant: every order paid exactly once (one delivery row, one payment
 * transaction, one paid attendee, going_count). Sizes: --webhook-rounds (5; quick 1).
 */
import crypto from 'node:crypto';
import http from 'node:http';
import pg from 'pg';
import Stripe from 'stripe';
import { QueryTypes } from 'sequelize';
import { cpuMs, startApp, type Child } from '../lib/app.js';
import { scratchDatabase } from '../lib/db.js';
import { busyShare, machineTimes, race, shuffle } from '../lib/load.js';
import { row, type BenchRow, type ScenarioOptions } from '../lib/types.js';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { connect, disconnect, sequelize } from '../../src/db/connection.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { setJwtSecret } from '../../src/lib/jwt.js';
import { AuthUser, CapacityReservation, Event, type PaymentOrder } from '../../src/models/index.js';
import { placeOrder } from '../../src/modules/payments/commands/index.js';

const BURST = 100;
/** The burst's orders are spread over this many events (a fulfilment holds its event's row from the claim to the commit). */
const EVENTS = 10;
/** The app's pool (src/db/connection.ts default): the baseline gets as many connections. */
const CONNECTIONS = 20;
const GOAL = 500;
const SECRET = `whsec_bench_${crypto.randomBytes(8).toString('hex')}`;

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
  const sends = shuffle([...list, ...list]);
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

export default async function run(opts: ScenarioOptions): Promise<BenchRow[]> {
  const rounds = opts.sizes?.['webhook-rounds'] ?? (opts.quick ? 1 : 5);
  const unique = BURST / 2;
  const previous = (() => { try { return config(); } catch { return undefined; } })();
  const db = await scratchDatabase(opts.databaseUrl, 'webhooks', opts.log);
  let app: Child | undefined;
  try {
    // This process only seeds (orders through placeOrder) and checks; the app under test is the child.
    setConfig({
      ...loadConfig({ ...process.env, NODE_ENV: 'development', DATABASE_URL: undefined, LOG_LEVEL: 'silent' }),
      SCHEDULER: false, STRIPE_WEBHOOK_SECRET: SECRET, STRIPE_SECRET_KEY: undefined,
    });
    setJwtSecret(crypto.randomBytes(32).toString('hex'));
    connect(db.url, { poolMax: 8 });
    app = await startApp({ databaseUrl: db.url, env: { STRIPE_WEBHOOK_SECRET: SECRET } });

    const host = await AuthUser.create({ username: '+910000000009' });
    const start = new Date(clock.now().getTime() + 7 * DAY);
    const newEvent = (label: string) => Event.create({
      host_id: host.id, title: `Bench sale ${label}`, slug: `bench-sale-${label}-${crypto.randomBytes(3).toString('hex')}`,
      description: 'Webhook benchmark event.', start_time: start, end_time: new Date(start.getTime() + 3 * HOUR),
      max_capacity: 0, status: 'published', is_paid: true, ticket_price: '499.00', cover_images: [],
    });
    opts.log(`${rounds} burst(s) of ${BURST} signed Stripe deliveries (${unique} orders on ${EVENTS} events, each delivered twice)`);

    // Warm-up burst (JIT, pool, plan caches) on its own event.
    const warm = await newEvent('warm');
    await burst(app.base, deliveries(await seedOrders(warm, unique, 90_000_000)));

    // Baseline: the bare idempotent writes over as many connections, on orders of their own.
    const baseEvent = await newEvent('base');
    const baseOrders = await seedOrders(baseEvent, unique * rounds, 0);
    const clients = await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      return c;
    }));
    let baseSecs = 0;
    for (let r = 0; r < rounds; r++) {
      const list = deliveries(baseOrders.slice(r * unique, (r + 1) * unique));
      const b = await race(shuffle([...list, ...list]), CONNECTIONS, async (d, w) => {
        const stored = await clients[w]!.query(
          `INSERT INTO payment_webhook (provider, provider_event_id, webhook_type, payload, signature, processed, created_at, updated_at)
           VALUES ('stripe', $1, 'payment_intent.succeeded', $2::jsonb, $3, true, now(), now()) ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id`,
          [d.eventId, d.payload, d.signature],
        );
        if (stored.rowCount) await clients[w]!.query("UPDATE payment_order SET status = 'paid', paid_at = now() WHERE id = $1 AND status = 'created'", [d.order.id]);
      });
      baseSecs += b.secs;
    }
    await Promise.all(clients.map((c) => c.end()));

    // The app: signed deliveries over HTTP, fulfilment included.
    let secs = 0;
    let ok = 0;
    let appCpu = 0;
    const machine = { busy: 0, idle: 0 };
    const events: Event[] = [];
    for (let r = 0; r < rounds; r++) {
      const orders: PaymentOrder[] = [];
      for (let e = 0; e < EVENTS; e++) {
        const event = await newEvent(`r${r}e${e}`);
        events.push(event);
        orders.push(...(await seedOrders(event, unique / EVENTS, 100_000 * (r + 1) + 1000 * e)));
      }
      const list = deliveries(orders);
      const cpu0 = cpuMs(app.child.pid!);
      const m0 = machineTimes();
      const b = await burst(app.base, list);
      appCpu += cpuMs(app.child.pid!) - cpu0;
      const m = machineTimes(m0);
      machine.busy += m.busy;
      machine.idle += m.idle;
      secs += b.secs;
      ok += b.ok;
    }
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
    opts.log(`baseline (bare INSERT … ON CONFLICT + conditional UPDATE, ${CONNECTIONS} connections): ${total} in ${baseSecs.toFixed(2)} s → ${baseRate.toFixed(0)} deliveries/s`);
    opts.log(`app (HTTP, Stripe signature, store once, fulfilment): ${total} in ${secs.toFixed(2)} s → ${rate.toFixed(0)} deliveries/s (${(100 * rate / baseRate).toFixed(0)}% of baseline); app CPU ${(appCpu / total).toFixed(1)} ms per delivery, `
      + `whole machine ${(machine.busy / total).toFixed(1)} ms (${(100 * busyShare(machine)).toFixed(0)}% of its cores busy)`);
    opts.log(`exactly once: ${JSON.stringify(check)} for ${expected} orders, ${ok}/${total} answered 200`);
    return [
      row('webhooks: 100 concurrent signed Stripe deliveries, half duplicates (app vs bare idempotent SQL)', rate, 'deliveries/s', baseRate,
        `≥ ${GOAL} deliveries/s`, rate >= GOAL),
      row('webhooks: every order paid exactly once (delivery rows, payment transactions, paid attendees, going_count)', exact ? 1 : 0, 'bool', null,
        '= 1 (processed exactly once)', exact),
    ];
  } finally {
    await app?.stop();
    await disconnect();
    await db.drop();
    if (previous) setConfig(previous);
  }
}
