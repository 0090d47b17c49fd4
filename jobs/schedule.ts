/**
 * The scheduled jobs: file name in jobs/ (without extension) and how often it runs.
 * Each job file is a thin call to one command through `runJobFile` (src/jobs/runtime.ts).
 */
export interface ScheduledJob {
  name: string;
  /** Bree interval: a human string ('1m', '10m') or a cron expression via `cron`. */
  interval?: string;
  cron?: string;
}

export const SCHEDULE: ScheduledJob[] = [
  { name: 'sweep-rate-limits', interval: '1h' },
  { name: 'deliver-emails', interval: '1m' },
  { name: 'deliver-webhooks', interval: '30s' },
  { name: 'audit-summary', interval: '1h' },
  // Safety net of the in-process sealer (rows whose process died before its debounced seal).
  { name: 'seal-audit-log', interval: '1m' },
  { name: 'sweep-notifications', cron: '30 3 * * *' },
  { name: 'send-event-reminders', interval: '15m' },
  { name: 'expire-otps', interval: '5m' },
  { name: 'sweep-refresh-tokens', cron: '15 4 * * *' },
  // Bookkeeping only: expired holds and invites already stop counting when read.
  { name: 'expire-holds', interval: '1m' },
  { name: 'expire-invites', interval: '10m' },
  // Payments: unpaid orders past expires_at (already refused when read), refunds never sent.
  { name: 'expire-orders', interval: '1m' },
  { name: 'execute-refunds', interval: '5m' },
  // Published events past their end → completed; their pending requests expire.
  { name: 'complete-events', interval: '10m' },
];

/** Jobs run only by hand (`npm run job -- <name>`), never on a schedule. */
export const ON_DEMAND: { name: string; what: string }[] = [
  { name: 'reseal-payout-accounts', what: 'after a payout key rotation: re-seal every payout account under PAYOUT_ENCRYPTION_KEY' },
];
