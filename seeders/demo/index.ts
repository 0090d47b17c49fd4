import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { DEV_ADMIN_EMAIL, DEV_ADMIN_PASSWORD } from '../reference.js';
import {
  runHousekeeping, seedEvents, seedPayoutAccounts, seedPayouts, seedPeople, seedVenues, seedWaitlist, seedWebhookEndpoint, staffActor,
  withDemoConfig, type Step, type World,
} from './steps.js';

/*
 * `npm run seed:demo`: hosts, venues, past / live / upcoming events, paid orders on every provider,
 * refunds, check-ins, a waitlist, payouts, a host webhook endpoint with its deliveries, notifications and the
 * audit trail — all through the domain commands. Idempotent: each step skips what exists, so a
 * second run changes nothing. Each step is one named function, run in the order of STEPS.
 */
export const STEPS: Step[] = [
  seedPeople, seedVenues, seedPayoutAccounts, seedWebhookEndpoint, seedEvents, seedWaitlist, seedPayouts, runHousekeeping,
];

export async function seedDemo(log: (line: string) => void = () => undefined): Promise<{ created: number; counts: DemoCounts }> {
  const world: World = {
    log, now: new Date(), staff: await staffActor(), hosts: {} as World['hosts'], guests: [], venues: new Map(), created: 0,
  };
  try {
    await withDemoConfig(async () => {
      for (const step of STEPS) await step(world);
    });
  } finally {
    await world.receiver?.close();
  }
  const counts = await demoCounts();
  for (const line of summary(world, counts)) log(line);
  return { created: world.created, counts };
}

export type DemoCounts = Record<string, number>;

const COUNTED: Record<string, string> = {
  users: 'auth_user', venues: 'venue', events: 'event', requests: 'event_request', attendees: 'event_attendee',
  holds: 'capacity_reservation', tickets: 'attendance_record',
  checked_in: 'attendance_record WHERE checked_in_at IS NOT NULL', checked_out: 'attendance_record WHERE checked_out_at IS NOT NULL',
  orders: 'payment_order', payments: "payment_transaction WHERE transaction_type = 'payment'",
  refunds: "payment_transaction WHERE transaction_type = 'refund'",
  refunds_pending: "payment_transaction WHERE transaction_type = 'refund' AND status = 'pending'",
  waitlisted: "event_request WHERE status = 'waitlisted'",
  ledger_entries: 'ledger_entry', payouts: 'payout', payout_accounts: 'payout_account', webhook_endpoints: 'webhook_endpoint',
  webhook_deliveries: 'webhook_delivery', notifications: 'notification', audit_rows: 'audit_log', audit_summary_rows: 'audit_log_summary',
};

/** Row counts per table, and the breakdowns worth clicking through in the panel. */
export async function demoCounts(): Promise<DemoCounts> {
  const [row] = await sequelize().query<Record<string, string>>(
    `SELECT ${Object.entries(COUNTED).map(([name, from]) => `(SELECT count(*) FROM ${from}) AS ${name}`).join(', ')}`,
    { type: QueryTypes.SELECT },
  );
  const counts: DemoCounts = Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
  const groups = await sequelize().query<{ k: string; n: string }>(`
    SELECT 'provider.' || payment_provider AS k, count(*) AS n FROM payment_order GROUP BY 1
    UNION ALL SELECT 'order.' || status, count(*) FROM payment_order GROUP BY 1
    UNION ALL SELECT 'payouts.' || status, count(*) FROM payout GROUP BY 1
    UNION ALL SELECT 'events.' || status, count(*) FROM event GROUP BY 1`, { type: QueryTypes.SELECT });
  for (const g of groups) counts[g.k] = Number(g.n);
  return counts;
}

function summary(world: World, c: DemoCounts): string[] {
  const pick = (prefix: string) => Object.entries(c).filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => a.localeCompare(b))
    .map(([k, n]) => `${k.slice(prefix.length)} ${n}`).join(', ');
  const login = world.staff.email === DEV_ADMIN_EMAIL ? `${DEV_ADMIN_EMAIL} / ${DEV_ADMIN_PASSWORD}` : `${world.staff.email} (ADMIN_PASSWORD)`;
  return [
    world.created ? 'Demo data seeded.' : 'Demo data is already there: nothing changed.',
    `  people ${c.users}, venues ${c.venues}, events ${c.events} (${pick('events.')}), requests ${c.requests} (${c.waitlisted} waitlisted), holds ${c.holds}`,
    `  orders ${c.orders}: ${pick('provider.')}; ${pick('order.')}`,
    `  refunds ${c.refunds} (${c.refunds_pending} waiting for staff), tickets ${c.tickets}, checked in ${c.checked_in}, checked out ${c.checked_out}`,
    `  ledger entries ${c.ledger_entries}, payouts ${c.payouts} (${pick('payouts.')}), payout accounts ${c.payout_accounts}`,
    `  webhook endpoints ${c.webhook_endpoints}, deliveries ${c.webhook_deliveries}, notifications ${c.notifications}, audit rows ${c.audit_rows}`,
    `Open /admin and sign in as ${login}: the dashboard (today's check-ins at "Open Mic: Poetry & Chai"),`,
    '  Payment orders (filter by provider or status; "Mark paid" on the pending cash and bank transfer orders),',
    '  Payment transactions (a refund waiting to be confirmed), Ledger entries and the settlement report, Payouts,',
    '  Attendance records, Webhook deliveries, Notifications and the Audit log;',
    '  on "Pottery Basics: Wheel Throwing", the Waitlist action (positions, Admit now, Remove).',
  ];
}
