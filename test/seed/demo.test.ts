import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';
import { beforeAll, describe, expect, it } from 'vitest';
import { demoCounts, seedDemo, type DemoCounts } from '../../seeders/demo/index.js';
import { seedReference } from '../../seeders/reference.js';
import { dashboardData } from '../../src/admin/dashboard.js';
import { sequelize } from '../../src/db/connection.js';
import { signedToMinor } from '../../src/modules/money/amounts.js';
import { revealAccountNumber } from '../../src/modules/money/commands/account.js';
import { AuthUser, PayoutAccount } from '../../src/models/index.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { PAYOUT_ACCOUNTS } from '../../seeders/demo/plan.js';
import { superuserAgent } from '../admin/support.js';
import { testDatabaseUrl } from '../support/db.js';

const run = promisify(execFile);
const q = <T extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
  sequelize().query<T>(sql, { replacements, type: QueryTypes.SELECT });
const minor = (v: string | null) => signedToMinor(v ?? '0');

// One story on one fresh database: seeded in-process, then `npm run seed:demo` a second time.
describe('npm run seed:demo', () => {
  let first: DemoCounts;
  let firstMs: number;

  beforeAll(async () => {
    await seedReference();
    const started = performance.now();
    first = (await seedDemo()).counts;
    firstMs = performance.now() - started;
  }, 180_000);

  it('seeds paid orders on every provider, through the confirm commands and the fulfilment path', async () => {
    const providers = Object.entries(first).filter(([k, n]) => k.startsWith('provider.') && n >= 1).map(([k]) => k.slice(9));
    expect(providers.length).toBeGreaterThanOrEqual(5);
    expect(providers.sort()).toEqual(['bank_transfer', 'cash', 'gpay', 'paypal', 'paytm', 'phonepe', 'razorpay', 'stripe']);
    expect(firstMs).toBeLessThan(90_000);

    // Each paid provider has a paid order whose rows are those the real path writes.
    const paidBy = await q<{ provider: string; n: number }>(
      `SELECT payment_provider AS provider, count(*)::int AS n FROM payment_order WHERE status IN ('paid', 'refunded') GROUP BY 1`);
    expect(paidBy.map((r) => r.provider).sort()).toEqual(providers.sort());
    const broken = await q<{ order_reference: string }>(`
      SELECT o.order_reference FROM payment_order o
       WHERE o.status IN ('paid', 'refunded') AND (
         (SELECT count(*) FROM payment_transaction t WHERE t.payment_order_id = o.id AND t.transaction_type = 'payment' AND t.status = 'completed'
             AND t.amount = o.amount AND t.provider_transaction_id = o.transaction_id) <> 1
         OR NOT EXISTS (SELECT 1 FROM attendance_record r WHERE r.payment_order_id = o.id)
         OR NOT EXISTS (SELECT 1 FROM ticket_secret s JOIN attendance_record r ON r.id = s.attendance_record_id WHERE r.payment_order_id = o.id)
         OR NOT EXISTS (SELECT 1 FROM ledger_entry l WHERE l.payment_order_id = o.id AND l.kind = 'sale' AND l.amount = o.amount)
         OR NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.object_type = 'payment_order' AND a.object_id = o.id AND a.command = 'payments.order.fulfil')
         OR NOT EXISTS (SELECT 1 FROM notification n WHERE n.reference_type = 'payment_order' AND n.reference_id = o.id AND n.type = 'payment_success')
         OR o.paid_at IS NULL
         OR (o.payment_provider NOT IN ('cash', 'bank_transfer') AND (o.provider_payment_id IS NULL OR o.provider_payment_id <> o.transaction_id))
         OR (o.payment_provider IN ('cash', 'bank_transfer') AND NOT (o.provider_response -> 'payment' ? 'marked_paid_by')))`);
    expect(broken).toEqual([]);
    const ids = await q<{ provider: string; id: string }>(
      `SELECT payment_provider AS provider, provider_payment_id AS id FROM payment_order WHERE provider_payment_id IS NOT NULL`);
    const shape: Record<string, RegExp> = {
      stripe: /^pi_3[A-Za-z0-9]{23}$/, razorpay: /^pay_[A-Za-z0-9]{14}$/, gpay: /^pay_[A-Za-z0-9]{14}$/,
      paypal: /^[A-Z0-9]{17}$/, paytm: /^\d{34}$/, phonepe: /^T\d{22}$/,
    };
    for (const r of ids) expect(r.id).toMatch(shape[r.provider]!);
    // The staff-confirmed providers were marked paid by their command (host for cash, staff for bank).
    const marked = await q<{ provider: string; n: number }>(`
      SELECT o.payment_provider AS provider, count(*)::int AS n FROM payment_order o
       WHERE o.payment_provider IN ('cash', 'bank_transfer') AND o.status = 'paid' GROUP BY 1`);
    expect(marked.length).toBe(2);
  });

  it('seeds a failed payment, an expired hold and order, pending offline orders, partial and full refunds', async () => {
    const [o] = await q<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE status = 'failed')::int AS failed,
      count(*) FILTER (WHERE status = 'cancelled' AND failure_reason = 'expired')::int AS expired,
      count(*) FILTER (WHERE status = 'pending' AND payment_provider IN ('cash', 'bank_transfer'))::int AS awaiting,
      count(*) FILTER (WHERE status = 'refunded')::int AS refunded,
      count(*) FILTER (WHERE status = 'paid' AND refund_amount > 0 AND refund_amount < amount)::int AS partly_refunded
      FROM payment_order`);
    expect(o).toEqual({ failed: 1, expired: 1, awaiting: 3, refunded: 2, partly_refunded: 2 });
    const [h] = await q<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE NOT consumed AND released_at IS NOT NULL)::int AS released,
      count(*) FILTER (WHERE NOT consumed AND released_at IS NULL AND expires_at > now())::int AS live
      FROM capacity_reservation`);
    expect(h!.released).toBeGreaterThanOrEqual(3); // lapsed hold, expired order's hold, failed payment's hold
    expect(h!.live).toBe(5); // two seats held while paying, three offline orders waiting
    const refunds = await q<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM payment_transaction WHERE transaction_type = 'refund' GROUP BY 1 ORDER BY 1`);
    expect(refunds).toEqual([{ status: 'completed', n: 3 }, { status: 'pending', n: 1 }]);
    // A full refund freed its seat: the ticket is refunded and void.
    const [voided] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM attendance_record r JOIN payment_order o ON o.id = r.payment_order_id
      WHERE o.status = 'refunded' AND r.payment_status = 'refunded'`);
    expect(voided!.n).toBe(2);
  });

  it('checks guests in through the door, one of them out, on past and live events', async () => {
    const [c] = await q<Record<string, number>>(`SELECT
      count(*) FILTER (WHERE r.status = 'checked_in')::int AS checked_in,
      count(*) FILTER (WHERE r.checked_out_at IS NOT NULL)::int AS checked_out,
      count(*) FILTER (WHERE r.status = 'checked_in' AND e.start_time < now() AND e.end_time > now())::int AS live,
      (SELECT count(*) FROM ticket_secret WHERE is_redeemed)::int AS redeemed,
      (SELECT count(*) FROM audit_log WHERE command = 'attendance.checkin' AND is_successful)::int AS audited
      FROM attendance_record r JOIN event e ON e.id = r.event_id`);
    expect(c!.checked_in).toBe(20);
    expect(c!.checked_out).toBe(5);
    expect(c!.live).toBe(3);
    expect(c!.redeemed).toBe(20);
    expect(c!.audited).toBe(20);
  });

  it('seeds a sold-out workshop with a waitlist in order, its head admitted when a seat freed', async () => {
    const [e] = await q<{ id: number; going_count: number; max_capacity: number }>(
      "SELECT id, going_count, max_capacity FROM event WHERE title = 'Pottery Basics: Wheel Throwing' AND waitlist_enabled");
    expect(e).toMatchObject({ going_count: 5, max_capacity: 5 });
    const [rows] = await q<{ going: number; waiting: number }>(`SELECT
      (SELECT count(*) FROM event_attendee WHERE event_id = :id AND status = 'going')::int AS going,
      (SELECT count(*) FROM event_request WHERE event_id = :id AND status = 'waitlisted')::int AS waiting`,
    { id: e!.id });
    expect(rows).toMatchObject({ going: 5, waiting: 3 });
    expect(first.waitlisted).toBe(3);
    const [admitted] = await q<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE command = 'joining.waitlist.admit'");
    expect(admitted!.n).toBe(1);
  });

  it('books each host ledger as sales − fees − refunds, minus the payouts, with a payout in every state', async () => {
    const hosts = await q<{ host_id: number; sales: string; fees: string; refunds: string; payouts: string | null }>(`
      SELECT e.host_id,
             SUM(o.amount)::text AS sales, SUM(o.platform_fee)::text AS fees,
             (SELECT COALESCE(SUM(t.amount), 0) FROM payment_transaction t JOIN payment_order o2 ON o2.id = t.payment_order_id
                JOIN event e2 ON e2.id = o2.event_id WHERE e2.host_id = e.host_id AND t.transaction_type = 'refund')::text AS refunds,
             (SELECT SUM(p.amount) FROM payout p WHERE p.host_id = e.host_id AND p.status <> 'failed')::text AS payouts
        FROM payment_order o JOIN event e ON e.id = o.event_id
       WHERE EXISTS (SELECT 1 FROM payment_transaction t WHERE t.payment_order_id = o.id AND t.transaction_type = 'payment' AND t.status = 'completed')
       GROUP BY e.host_id`);
    expect(hosts).toHaveLength(3);
    for (const h of hosts) {
      const [l] = await q<{ net: string; total: string; fees: string }>(`SELECT
        SUM(amount) FILTER (WHERE kind <> 'payout')::text AS net, SUM(amount)::text AS total,
        (-SUM(amount) FILTER (WHERE kind = 'fee'))::text AS fees FROM ledger_entry WHERE host_id = :host`, { host: h.host_id });
      expect(minor(l!.fees)).toBe(minor(h.fees));
      expect(minor(h.fees)).toBeGreaterThan(0);
      expect(minor(l!.net)).toBe(minor(h.sales) - minor(h.fees) - minor(h.refunds));
      expect(minor(l!.total)).toBe(minor(l!.net) - minor(h.payouts));
    }
    const payouts = await q<{ status: string }>('SELECT DISTINCT status FROM payout ORDER BY 1');
    expect(payouts.map((p) => p.status)).toEqual(['approved', 'completed', 'failed', 'pending']);
    const [rev] = await q<{ n: number }>(`SELECT count(*)::int AS n FROM ledger_entry l JOIN payout p ON p.id = l.payout_id
      WHERE p.status = 'failed' AND l.reverses_id IS NOT NULL`);
    expect(rev!.n).toBeGreaterThan(0);

    // Payout accounts were sealed by the command: no plain number stored, and it opens again.
    const asha = (await AuthUser.findOne({ where: { username: '+910000000101' } }))!;
    const account = (await PayoutAccount.findOne({ where: { user_id: asha.id } }))!;
    expect(account.account_number_ciphertext.toString('utf8')).not.toContain(PAYOUT_ACCOUNTS.asha.account_number);
    expect(account.account_number_last4).toBe(PAYOUT_ACCOUNTS.asha.account_number.slice(-4));
    expect(revealAccountNumber(account, asha.uuid)).toBe(PAYOUT_ACCOUNTS.asha.account_number);
  });

  it('delivers the host webhook events, notifies, summarises and seals the audit trail', async () => {
    expect(first.webhook_endpoints).toBe(1);
    const deliveries = await q<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM webhook_delivery GROUP BY 1');
    expect(deliveries).toEqual([{ status: 'succeeded', n: first.webhook_deliveries }]);
    const types = await q<{ type: string }>('SELECT DISTINCT type FROM webhook_message ORDER BY 1');
    expect(types.map((t) => t.type)).toEqual(['attendee.checked_in', 'order.paid', 'order.refunded', 'request.accepted', 'request.created']);
    expect(first.notifications).toBeGreaterThan(50);
    expect(first.audit_summary_rows).toBeGreaterThan(0);
    const chain = await verifyAuditChain();
    expect(chain.ok).toBe(true);
    expect(chain.unsealed).toBe(0);
    expect(first['events.completed']).toBe(4);
  });

  it('fills the admin dashboard and list pages', async () => {
    const d = await dashboardData(new Date());
    expect(d.pending_requests).toBeGreaterThan(0);
    expect(d.events_upcoming).toBeGreaterThanOrEqual(5);
    expect(Number(d.revenue_30d)).toBeGreaterThan(0);
    expect(d.upcoming.length).toBeGreaterThan(0);
    const agent = await superuserAgent();
    const dash = await agent.get('/admin/api/dashboard');
    expect(dash.status).toBe(200);
    expect(dash.body.events_upcoming).toBe(d.events_upcoming);
    for (const resource of ['event', 'venue', 'event_request', 'capacity_reservation', 'attendance_record', 'payment_order',
      'payment_transaction', 'ledger_entry', 'payout', 'payout_account', 'webhook_endpoint', 'webhook_delivery', 'notification',
      'audit_log', 'audit_log_summary']) {
      const res = await agent.get(`/admin/api/resources/${resource}/actions/list`);
      expect(res.status, resource).toBe(200);
      expect(res.body.records.length, resource).toBeGreaterThan(0);
    }
  }, 60_000);

  it('a second run (the npm script, in its own process) changes nothing', async () => {
    const before = await demoCounts();
    const [{ max: lastAudit }] = await q<{ max: number }>('SELECT max(id)::int AS max FROM audit_log') as [{ max: number }];
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'seeders/demo.ts'], {
      env: { ...process.env, DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'silent' }, timeout: 90_000,
    });
    expect(stdout).toContain('Demo data is already there: nothing changed.');
    expect(await demoCounts()).toEqual(before);
    expect(before.orders).toBe(first.orders);
    const [{ max: after }] = await q<{ max: number }>('SELECT max(id)::int AS max FROM audit_log') as [{ max: number }];
    expect(after).toBe(lastAudit);
  }, 120_000);
});
