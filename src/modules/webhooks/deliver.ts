import { QueryTypes } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { withTransaction } from '../../db/transaction.js';
import { DAY, HOUR, MINUTE } from '../../lib/clock.js';
import { logger } from '../../lib/logger.js';
import { audit } from '../audit/writer.js';
import { notify } from '../notifications/writer.js';
import { decryptWebhookSecret } from './secret.js';
import { sendSigned, type Attempt } from './send.js';

/** Retries stop this long after the change (API.md: "retried with backoff for 24 h"). */
export const RETRY_WINDOW_MS = DAY;
/** An endpoint failing without a single success for this long is disabled, and its host told. */
export const DISABLE_AFTER_MS = DAY;
/** A claim keeps other workers off a delivery; longer than any attempt can take (SEND_TIMEOUT_MS). */
export const CLAIM_LEASE_MS = 5 * MINUTE;
/** Delay after the n-th failed attempt: 1, 2, 4, 8… minutes, capped at 4 hours. */
export const webhookBackoffMs = (attempt: number): number => Math.min(MINUTE * 2 ** (attempt - 1), 4 * HOUR);
const PARALLEL = 8;

interface Claimed {
  id: number; uuid: string; attempts: number; deadline_at: Date;
  endpoint_id: number; url: string; secret_encrypted: string;
  message_uuid: string; payload: Record<string, unknown>;
}

/**
 * The webhook outbox worker, one run: fan new outbox messages out to their hosts' subscribed
 * endpoints, then claim due deliveries, send each signed, and record the outcome.
 * Claim → send → mark, as the email outbox does: the claim (attempts + 1, a lease) commits before
 * the request goes out, so no row is locked during HTTP; a worker that dies mid-send leaves the
 * delivery to be retried after the lease (at least once, with the same webhook-id for receivers
 * to drop the duplicate).
 */
export async function deliverDueWebhooks(ctx: Context, { batchSize = 100 }: { batchSize?: number } = {}) {
  const fanned = await fanOut(ctx);
  const claimed = await claimDue(ctx, batchSize);
  const outcome = { fanned_out: fanned, claimed: claimed.length, succeeded: 0, retrying: 0, failed: 0, endpoints_disabled: 0 };
  for (let i = 0; i < claimed.length; i += PARALLEL) {
    await Promise.all(claimed.slice(i, i + PARALLEL).map(async (row) => {
      const attempt = await attemptOne(ctx, row);
      const state = await record(ctx, row, attempt);
      outcome[state]++;
      if (!attempt.ok) {
        logger.warn({ delivery: row.uuid, attempt: row.attempts, state, err: attempt.error }, 'webhook delivery failed');
        const windowStart = state === 'failed' ? new Date(new Date(row.deadline_at).getTime() - RETRY_WINDOW_MS) : null;
        if (await disableIfFailingTooLong(ctx, row.endpoint_id, windowStart)) outcome.endpoints_disabled++;
      }
    }));
  }
  return outcome;
}

/** New outbox messages become one pending delivery per active endpoint of their host subscribed to the type. */
async function fanOut(ctx: Context): Promise<number> {
  const now = ctx.now();
  const rows = await sequelize().query<{ n: number }>(
    `WITH m AS (
       SELECT id, host_id, type, created_at FROM webhook_message WHERE fanned_out_at IS NULL ORDER BY id LIMIT 1000
          FOR UPDATE SKIP LOCKED
     ), d AS (
       INSERT INTO webhook_delivery (endpoint_id, message_id, status, next_attempt_at, deadline_at, created_at, updated_at)
       SELECT e.id, m.id, 'pending', :now, m.created_at + make_interval(secs => :window), :now, :now
         FROM m JOIN webhook_endpoint e ON e.host_id = m.host_id AND e.is_active AND m.type = ANY (e.events)
       ON CONFLICT (endpoint_id, message_id) DO NOTHING
       RETURNING 1
     ), u AS (
       UPDATE webhook_message SET fanned_out_at = :now, updated_at = :now WHERE id IN (SELECT id FROM m) RETURNING 1
     )
     SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(*) FROM u)::int AS messages`,
    { replacements: { now, window: RETRY_WINDOW_MS / 1000 }, type: QueryTypes.SELECT },
  );
  return rows[0]?.n ?? 0;
}

async function claimDue(ctx: Context, batchSize: number): Promise<Claimed[]> {
  const now = ctx.now();
  const rows = await sequelize().query<Claimed>(
    `WITH due AS (
       SELECT d.id FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id AND e.is_active
        WHERE d.status = 'pending' AND d.next_attempt_at <= :now
        ORDER BY d.next_attempt_at LIMIT :limit
          FOR UPDATE OF d SKIP LOCKED
     )
     UPDATE webhook_delivery d
        SET attempts = d.attempts + 1, next_attempt_at = :lease, last_attempt_at = :now, updated_at = :now
       FROM webhook_endpoint e, webhook_message m
      WHERE d.id IN (SELECT id FROM due) AND e.id = d.endpoint_id AND m.id = d.message_id
     RETURNING d.id, d.uuid, d.attempts, d.deadline_at, d.endpoint_id, e.url, e.secret_encrypted,
               m.uuid AS message_uuid, m.payload`,
    { replacements: { now, limit: batchSize, lease: new Date(now.getTime() + CLAIM_LEASE_MS) }, type: QueryTypes.SELECT },
  );
  return rows.sort((a, b) => a.id - b.id);
}

async function attemptOne(ctx: Context, row: Claimed): Promise<Attempt> {
  try {
    return await sendSigned({
      url: row.url, secret: decryptWebhookSecret(row.secret_encrypted), webhookId: webhookIdOf(row.message_uuid),
      body: JSON.stringify(row.payload), at: ctx.now(),
    });
  } catch (err) {
    return { ok: false, status: null, error: (err as Error).message.slice(0, 500) };
  }
}

/** The Standard Webhooks message id: one per outbox message, the same on every retry and redelivery. */
export const webhookIdOf = (messageUuid: string): string => `msg_${messageUuid}`;

/** Marks the claimed attempt (only if the claim is still ours: attempts is the fencing token). */
async function record(ctx: Context, row: Claimed, a: Attempt): Promise<'succeeded' | 'retrying' | 'failed'> {
  const now = ctx.now();
  const db = sequelize();
  if (a.ok) {
    await db.query(
      `UPDATE webhook_delivery SET status = 'succeeded', delivered_at = :now, next_attempt_at = NULL, last_status_code = :status,
              last_error = NULL, updated_at = :now
        WHERE id = :id AND status = 'pending' AND attempts = :attempt`,
      { replacements: { now, status: a.status, id: row.id, attempt: row.attempts } },
    );
    await db.query('UPDATE webhook_endpoint SET failing_since = NULL, updated_at = :now WHERE id = :id AND failing_since IS NOT NULL', {
      replacements: { now, id: row.endpoint_id },
    });
    return 'succeeded';
  }
  const next = new Date(now.getTime() + webhookBackoffMs(row.attempts));
  const giveUp = next.getTime() > new Date(row.deadline_at).getTime();
  await db.query(
    `UPDATE webhook_delivery SET status = :state, next_attempt_at = :next, last_status_code = :status, last_error = :error, updated_at = :now
      WHERE id = :id AND status = 'pending' AND attempts = :attempt`,
    {
      replacements: {
        state: giveUp ? 'failed' : 'pending', next: giveUp ? null : next, status: a.status, error: a.error ?? 'failed',
        now, id: row.id, attempt: row.attempts,
      },
    },
  );
  await db.query('UPDATE webhook_endpoint SET failing_since = :now, updated_at = :now WHERE id = :id AND failing_since IS NULL', {
    replacements: { now, id: row.endpoint_id },
  });
  return giveUp ? 'failed' : 'retrying';
}

/**
 * After a day of failures with no success in between, the endpoint is disabled (its pending
 * deliveries fail) and its host is told, in one transaction; the conditional UPDATE does it once.
 * A day of failures: failing since a day ago, or a delivery just gave up after its 24-hour window
 * (`gaveUpWindowStart`) with no delivery to this endpoint succeeding since that window opened.
 */
async function disableIfFailingTooLong(ctx: Context, endpointId: number, gaveUpWindowStart: Date | null): Promise<boolean> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const [endpoint] = await sequelize().query<{ id: number; uuid: string; host_id: number; url: string }>(
      `UPDATE webhook_endpoint SET is_active = false, disabled_at = :now, disabled_reason = 'Every delivery failed for 24 hours',
              updated_at = :now
        WHERE id = :id AND is_active AND failing_since IS NOT NULL
          AND (failing_since <= :cutoff OR (CAST(:since AS timestamptz) IS NOT NULL AND NOT EXISTS (
                SELECT 1 FROM webhook_delivery s WHERE s.endpoint_id = :id AND s.delivered_at >= CAST(:since AS timestamptz))))
       RETURNING id, uuid, host_id, url`,
      {
        replacements: { now, id: endpointId, cutoff: new Date(now.getTime() - DISABLE_AFTER_MS), since: gaveUpWindowStart },
        type: QueryTypes.SELECT, transaction: tx,
      },
    );
    if (!endpoint) return false;
    await sequelize().query(
      `UPDATE webhook_delivery SET status = 'failed', next_attempt_at = NULL, last_error = COALESCE(last_error, 'endpoint disabled'),
              updated_at = :now WHERE endpoint_id = :id AND status = 'pending'`,
      { replacements: { now, id: endpoint.id }, transaction: tx },
    );
    await notify(ctx, {
      recipientId: endpoint.host_id, type: 'system', email: true,
      title: 'A webhook endpoint was disabled',
      message: `Deliveries to ${endpoint.url} failed for 24 hours, so it was disabled. Fix the receiver, then enable it again.`,
      reference: { type: 'webhook_endpoint', id: endpoint.id, uuid: endpoint.uuid },
    });
    await audit(ctx, {
      action: 'update', command: 'webhooks.endpoint.disable', object: { type: 'webhook_endpoint', id: endpoint.id, uuid: endpoint.uuid },
      oldValues: { is_active: true }, newValues: { is_active: false, reason: 'failing for 24 hours' }, userId: endpoint.host_id,
      severity: 'medium',
    });
    return true;
  });
}
