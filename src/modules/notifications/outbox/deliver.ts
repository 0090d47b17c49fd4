import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { HOUR, MINUTE } from '../../../lib/clock.js';
import { logger } from '../../../lib/logger.js';
import type { NotificationType } from '../../../models/index.js';
import { renderEmail } from '../templates/index.js';
import { sendEmail } from './mailer.js';

/** After this many failed attempts the email is given up ('failed'); the in-app notification stays. */
export const MAX_EMAIL_ATTEMPTS = 6;
/**
 * How long a claim keeps other workers away. It must exceed the worst-case send time (the
 * transport's timeouts add up to under a minute), so a live worker always marks its rows before
 * anyone may re-claim them: a row is claimed again only if its worker died.
 */
export const CLAIM_LEASE_MS = 10 * MINUTE;

/** Retry delay after the n-th failed attempt: 1, 2, 4, 8, 16… minutes, capped at 6 hours. */
export const backoffMs = (attempt: number): number => Math.min(MINUTE * 2 ** (attempt - 1), 6 * HOUR);

interface Claimed {
  id: number; uuid: string; type: NotificationType; title: string; message: string; metadata: Record<string, unknown>;
  email_attempts: number; email: string; first_name: string; last_name: string;
}

/**
 * The outbox worker: claims due emails, sends them, marks each sent or schedules its retry.
 *
 * Delivery is claim → send → mark, with the claim committed BEFORE sending (rows are not locked
 * during SMTP):
 * - claim: one transaction takes due 'pending' rows with FOR UPDATE SKIP LOCKED (concurrent
 *   workers split the batch), increments email_attempts (the claim's fencing token) and pushes
 *   email_next_attempt_at out by the lease. Rows whose recipient has no email become 'none'.
 * - send: nodemailer, outside any transaction, Message-ID = <notification uuid@loopin>.
 * - mark: a conditional UPDATE `WHERE email_attempts = <token>` → 'sent'; on failure back to
 *   'pending' with backoff, or 'failed' after MAX_EMAIL_ATTEMPTS.
 * A refused or unreachable server (an outage) is a definite failure: nothing was delivered and
 * the retry sends it once. A crash after the server accepted a message but before the mark commits
 * leaves the row pending; after the lease it is sent again — at-least-once in that one window,
 * never lost. The stable Message-ID lets receiving systems drop such a duplicate. The opposite
 * order (mark, then send) would instead lose the email on that crash.
 */
export async function deliverDueEmails(ctx: Context, { batchSize = 100 }: { batchSize?: number } = {}) {
  const { claimed, withoutAddress } = await claimDue(ctx, batchSize);
  const outcome = { claimed: claimed.length, without_address: withoutAddress, sent: 0, retrying: 0, failed: 0 };
  for (const row of claimed) {
    try {
      const name = `${row.first_name} ${row.last_name}`.trim();
      const email = await renderEmail(row, name);
      await sendEmail({ ...email, to: row.email, messageId: `<${row.uuid}@loopin>` });
      await markSent(ctx, row);
      outcome.sent++;
    } catch (err) {
      const state = await markFailed(ctx, row, err);
      outcome[state === 'failed' ? 'failed' : 'retrying']++;
      logger.warn({ notification: row.uuid, attempt: row.email_attempts, state, err: (err as Error).message }, 'email delivery failed');
    }
  }
  return outcome;
}

async function claimDue(ctx: Context, batchSize: number): Promise<{ claimed: Claimed[]; withoutAddress: number }> {
  const db = sequelize();
  return db.transaction(async (tx) => {
    const due = await db.query<{ id: number; has_email: boolean }>(
      `SELECT n.id, (u.email IS NOT NULL AND btrim(u.email) <> '') AS has_email
         FROM notification n JOIN auth_user u ON u.id = n.recipient_id
        WHERE n.email_status = 'pending' AND n.email_next_attempt_at <= :now
        ORDER BY n.email_next_attempt_at
        LIMIT :limit
          FOR UPDATE OF n SKIP LOCKED`,
      { replacements: { now: ctx.now(), limit: batchSize }, type: QueryTypes.SELECT, transaction: tx },
    );
    const noEmail = due.filter((d) => !d.has_email).map((d) => d.id);
    const sendable = due.filter((d) => d.has_email).map((d) => d.id);
    if (noEmail.length) {
      // Users without an address get the in-app notification only.
      await db.query(`UPDATE notification SET email_status = 'none', email_next_attempt_at = NULL WHERE id IN (:ids)`, {
        replacements: { ids: noEmail }, transaction: tx,
      });
    }
    if (sendable.length === 0) return { claimed: [], withoutAddress: noEmail.length };
    const claimed = await db.query<Claimed>(
      `UPDATE notification n SET email_attempts = n.email_attempts + 1, email_next_attempt_at = :leaseUntil
         FROM auth_user u
        WHERE n.id IN (:ids) AND u.id = n.recipient_id
        RETURNING n.id, n.uuid, n.type, n.title, n.message, n.metadata, n.email_attempts, u.email, u.first_name, u.last_name`,
      {
        replacements: { ids: sendable, leaseUntil: new Date(ctx.now().getTime() + CLAIM_LEASE_MS) },
        type: QueryTypes.SELECT, transaction: tx,
      },
    );
    return { claimed: claimed.sort((a, b) => a.id - b.id), withoutAddress: noEmail.length };
  });
}

async function markSent(ctx: Context, row: Claimed): Promise<void> {
  await sequelize().query(
    `UPDATE notification SET email_status = 'sent', emailed_at = :now, email_next_attempt_at = NULL, email_last_error = NULL
      WHERE id = :id AND email_status = 'pending' AND email_attempts = :attempt`,
    { replacements: { now: ctx.now(), id: row.id, attempt: row.email_attempts } },
  );
}

async function markFailed(ctx: Context, row: Claimed, err: unknown): Promise<'retrying' | 'failed'> {
  const giveUp = row.email_attempts >= MAX_EMAIL_ATTEMPTS;
  await sequelize().query(
    `UPDATE notification SET email_status = :status, email_next_attempt_at = :next, email_last_error = :error
      WHERE id = :id AND email_status = 'pending' AND email_attempts = :attempt`,
    {
      replacements: {
        status: giveUp ? 'failed' : 'pending',
        next: giveUp ? null : new Date(ctx.now().getTime() + backoffMs(row.email_attempts)),
        error: (err instanceof Error ? err.message : String(err)).slice(0, 1000),
        id: row.id, attempt: row.email_attempts,
      },
    },
  );
  return giveUp ? 'failed' : 'retrying';
}
