import { afterAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { createContext } from '../../src/context.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { deliverDueEmails } from '../../src/modules/notifications/outbox/deliver.js';
import { bearer } from '../support/app.js';
import { buildEvent, buildPaidEvent, buildRequest, buildReservation, buildUser } from '../support/factories.js';
import { testDatabaseUrl } from '../support/setup.js';
import { buildTicket, openEvent } from '../attendance/helpers.js';
import { paymentIntent, STRIPE_SECRET, stripeEvent, stripeSignature } from '../payments/helpers.js';
import { startSmtp } from '../notifications/support.js';
import { PaymentOrder } from '../../src/models/index.js';
import { startInstance, type Instance } from './instances.js';

/**
 * Crash safety (issue 15): a real server process under concurrent joins, signed payment webhooks
 * and door check-ins is SIGKILLed mid-load and restarted; whatever had committed must be whole:
 * no paid order without its ticket, no ticket without its attendee, counters equal to what the rows
 * say, every hold consumed or expirable; replaying the load changes nothing twice; the outbox
 * then sends every email once.
 */
const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
  sequelize().query<T>(sql, { replacements, type: QueryTypes.SELECT });

async function invariants(eventIds: number[]) {
  const [broken] = await q<Record<string, number>>(`select
    (select count(*)::int from payment_order o where o.status in ('paid','completed')
       and not exists (select 1 from attendance_record r where r.payment_order_id = o.id and r.status <> 'cancelled')) as paid_without_ticket,
    (select count(*)::int from attendance_record r where r.attendee_id is null
       or not exists (select 1 from event_attendee a where a.id = r.attendee_id)) as ticket_without_attendee,
    (select count(*)::int from attendance_record r where r.status in ('going','checked_in')
       and not exists (select 1 from ticket_secret s where s.attendance_record_id = r.id)) as ticket_without_secret,
    (select count(*)::int from event e where e.id in (:ids) and e.going_count <> (select coalesce(sum(a.seats), 0)
       from event_attendee a where a.event_id = e.id and a.status in ('going','checked_in'))) as going_count_off,
    (select count(*)::int from event e where e.id in (:ids) and e.requests_count <> (select count(*)
       from event_request r where r.event_id = e.id and r.status = 'pending')) as requests_count_off,
    (select count(*)::int from capacity_reservation h where not h.consumed and h.released_at is null and h.expires_at is null) as hold_never_expiring,
    (select count(*)::int from capacity_reservation h where h.consumed
       and not exists (select 1 from event_attendee a where a.event_id = h.event_id and a.user_id = h.user_id)) as consumed_hold_without_attendee,
    (select count(*)::int from event e where e.id in (:ids) and e.max_capacity > 0 and e.going_count > e.max_capacity) as over_capacity`,
  { ids: eventIds });
  return broken!;
}

describe('crash safety: SIGKILL mid-load, restart, nothing half-done', { timeout: 240_000 }, () => {
  let instance: Instance | undefined;
  afterAll(async () => {
    await instance?.stop('SIGKILL');
  });

  it('keeps every invariant across a SIGKILL and a replay', async () => {
    const env = { STRIPE_WEBHOOK_SECRET: STRIPE_SECRET };
    const free = await buildEvent({ max_capacity: 15 });
    const requests = await Promise.all(Array.from({ length: 40 }, () => buildRequest({ event: free })));
    const paid = await buildPaidEvent({ max_capacity: 30 });
    const buyers = await Promise.all(Array.from({ length: 20 }, (_, i) => buildUser({ email: `buyer${i}.${Date.now()}@loopin.test` })));
    const holds = await Promise.all(buyers.map((user) => buildReservation({ event: paid, user, seats_reserved: 1 })));
    const door = await openEvent();
    const tickets = await Promise.all(Array.from({ length: 30 }, () => buildTicket({ event: door })));

    instance = await startInstance(testDatabaseUrl(), env);
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${instance!.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const orders: PaymentOrder[] = [];
    for (const [i, hold] of holds.entries()) {
      const res = await post('/api/payments/orders', { event: paid.uuid, reservation_key: hold.reservation_key, provider: 'stripe' },
        { authorization: await bearer(buyers[i]!) });
      expect(res.status, await res.clone().text()).toBe(201);
      orders.push((await PaymentOrder.findOne({ where: { uuid: ((await res.json()) as { uuid: string }).uuid } }))!);
    }
    const hostAuth = await bearer(free.host);
    const doorAuth = await bearer(door.host);
    const webhooks = orders.map((o) => stripeEvent('payment_intent.succeeded', paymentIntent(o)));
    const load = () => [
      ...requests.map((r) => () => post(`/api/events/${free.uuid}/requests/${r.uuid}/accept`, {}, { authorization: hostAuth })),
      ...webhooks.map((payload) => () => post('/api/payments/webhooks/stripe', payload, { 'stripe-signature': stripeSignature(payload) })),
      ...tickets.map((t) => () => post(`/api/events/${door.uuid}/checkin`, { ticket_secret: t.code }, { authorization: doorAuth })),
    ].sort(() => Math.random() - 0.5);

    // Fire everything at once; kill the server once a third has answered.
    let answered = 0;
    const all = load();
    const killed = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (answered >= all.length / 3) {
          clearInterval(check);
          instance!.child.kill('SIGKILL');
          resolve();
        }
      }, 5);
    });
    const first = await Promise.all(all.map((call) => call().then((r) => { answered++; return r.status; }, () => 'dropped' as const)));
    await killed;
    await instance.stop('SIGKILL');
    const dropped = first.filter((s) => s === 'dropped').length;
    expect(first.every((s) => s === 'dropped' || (typeof s === 'number' && s < 500)), JSON.stringify(first)).toBe(true);
    const ids = [free.id, paid.id, door.id];
    expect(await invariants(ids)).toEqual({
      paid_without_ticket: 0, ticket_without_attendee: 0, ticket_without_secret: 0, going_count_off: 0, requests_count_off: 0,
      hold_never_expiring: 0, consumed_hold_without_attendee: 0, over_capacity: 0,
    });

    // Restart and replay the whole load: what committed is not done twice, the rest completes.
    instance = await startInstance(testDatabaseUrl(), env);
    const replay = await Promise.all(load().map((call) => call().then((r) => r.status)));
    expect(replay.every((s) => s < 500), JSON.stringify(replay)).toBe(true);
    expect(await invariants(ids)).toEqual({
      paid_without_ticket: 0, ticket_without_attendee: 0, ticket_without_secret: 0, going_count_off: 0, requests_count_off: 0,
      hold_never_expiring: 0, consumed_hold_without_attendee: 0, over_capacity: 0,
    });
    const [after] = await q<{ going: number; paid: number; checked_in: number; tickets_paid: number }>(`select
      (select going_count from event where id = :free) as going,
      (select count(*)::int from payment_order where event_id = :paid and status in ('paid','completed')) as paid,
      (select count(*)::int from attendance_record where event_id = :paid and payment_order_id is not null) as tickets_paid,
      (select count(*)::int from attendance_record where event_id = :door and checked_in_at is not null) as checked_in`,
    { free: free.id, paid: paid.id, door: door.id });
    expect(after).toEqual({ going: 15, paid: 20, tickets_paid: 20, checked_in: 30 });

    // Email: the outbox sends each notification once, also when a worker runs again.
    await instance.stop();
    instance = undefined;
    const smtp = await startSmtp();
    try {
      clock.set(new Date(Date.now() + 11 * MINUTE)); // past any lease a killed worker could have left
      const ctx = createContext({ source: 'job' });
      for (let i = 0; i < 5; i++) await deliverDueEmails(ctx, { batchSize: 500 });
      const ids = smtp.received.map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeGreaterThanOrEqual(20); // at least every buyer's receipt
      const [pending] = await q<{ n: number }>("select count(*)::int as n from notification where email_status = 'pending'");
      expect(pending!.n).toBe(0);
      console.log(`crash safety: ${all.length} calls, killed after ${answered} answers (${dropped} dropped); replay ${replay.length} calls; ${ids.length} emails, none twice`);
    } finally {
      await smtp.close();
    }
  });
});
