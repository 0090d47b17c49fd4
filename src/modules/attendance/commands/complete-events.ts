import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { audit } from '../../audit/writer.js';

/*
 * Job: events whose end has passed are completed, and the pending requests of past events expire
 * (requests_count back to 0: it counts pending requests, and none is left). Batches of `batchSize`
 * events, each its own transaction with the events locked (SKIP LOCKED: a host editing one is taken
 * next run); re-running finds nothing to do. Both scans ride partial indexes of migration 0700.
 * Published events only complete: a postponed event's end is no longer its real end.
 */
export interface CompletionResult { completed: number; requests_expired: number; waitlisted_expired: number; batches: number }

export async function completePastEvents(ctx: Context, { batchSize = 500, maxBatches = 50 } = {}): Promise<CompletionResult> {
  const out: CompletionResult = { completed: 0, requests_expired: 0, waitlisted_expired: 0, batches: 0 };
  for (let i = 0; i < maxBatches; i++) {
    const done = await completeBatch(ctx, batchSize);
    out.completed += done;
    if (done) out.batches++;
    if (done < batchSize) break;
  }
  for (let i = 0; i < maxBatches; i++) {
    const { events, requests } = await expireBatch(ctx, batchSize);
    out.requests_expired += requests;
    if (events) out.batches++;
    if (events < batchSize) break;
  }
  for (let i = 0; i < maxBatches; i++) {
    const expired = await expireWaitlistBatch(ctx, batchSize);
    out.waitlisted_expired += expired;
    if (expired) out.batches++;
    if (expired < batchSize) break;
  }
  return out;
}

async function completeBatch(ctx: Context, batchSize: number): Promise<number> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const rows = await sequelize().query<{ uuid: string }>(`
      WITH due AS (
        SELECT id FROM event WHERE status = 'published' AND end_time < $now
         ORDER BY end_time LIMIT $limit FOR UPDATE SKIP LOCKED
      )
      UPDATE event e SET status = 'completed', updated_at = $now FROM due WHERE e.id = due.id RETURNING e.uuid`, {
      bind: { now, limit: batchSize }, type: QueryTypes.SELECT, transaction: tx,
    });
    if (rows.length) {
      await audit(ctx, {
        action: 'update', command: 'events.complete', object: { type: 'event' },
        oldValues: { status: 'published' }, newValues: { status: 'completed' }, payload: { reason: 'ended', events: rows.map((r) => r.uuid) },
      });
    }
    return rows.length;
  });
}

async function expireBatch(ctx: Context, batchSize: number): Promise<{ events: number; requests: number }> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const events = await sequelize().query<{ id: number; uuid: string }>(`
      SELECT id, uuid FROM event WHERE requests_count > 0 AND end_time < $now ORDER BY end_time LIMIT $limit FOR UPDATE SKIP LOCKED`, {
      bind: { now, limit: batchSize }, type: QueryTypes.SELECT, transaction: tx,
    });
    if (!events.length) return { events: 0, requests: 0 };
    const ids = events.map((e) => e.id);
    const [, meta] = await sequelize().query(
      "UPDATE event_request SET status = 'expired', updated_at = $now WHERE event_id = ANY($ids) AND status = 'pending'",
      { bind: { now, ids }, transaction: tx },
    );
    const requests = (meta as { rowCount?: number })?.rowCount ?? 0;
    await sequelize().query('UPDATE event SET requests_count = 0, updated_at = $now WHERE id = ANY($ids)', { bind: { now, ids }, transaction: tx });
    await audit(ctx, {
      action: 'update', command: 'joining.request.expire', object: { type: 'event_request' },
      oldValues: { status: 'pending' }, newValues: { status: 'expired' },
      payload: { reason: 'event ended', requests_expired: requests, events: events.map((e) => e.uuid) },
    });
    return { events: events.length, requests };
  });
}

/**
 * Waitlisted requests of past events expire too: nobody is admitted to an event that has started
 * (docs/decisions/1000), and they never counted in requests_count, so the scan above misses them.
 * Served by the partial index event_request_waitlist (only waiting rows).
 */
async function expireWaitlistBatch(ctx: Context, batchSize: number): Promise<number> {
  return withTransaction(ctx, async (tx, ctx) => {
    const now = ctx.now();
    const rows = await sequelize().query<{ uuid: string; event_uuid: string }>(`
      WITH due AS (
        SELECT r.id, e.uuid AS event_uuid FROM event_request r JOIN event e ON e.id = r.event_id
         WHERE r.status = 'waitlisted' AND e.end_time < $now
         ORDER BY r.id LIMIT $limit FOR UPDATE OF r SKIP LOCKED
      )
      UPDATE event_request r SET status = 'expired', waitlist_seq = NULL, updated_at = $now
        FROM due WHERE r.id = due.id RETURNING r.uuid, due.event_uuid`, {
      bind: { now, limit: batchSize }, type: QueryTypes.SELECT, transaction: tx,
    });
    if (rows.length) {
      await audit(ctx, {
        action: 'update', command: 'joining.waitlist.expire', object: { type: 'event_request' },
        oldValues: { status: 'waitlisted' }, newValues: { status: 'expired' },
        payload: { reason: 'event ended', requests_expired: rows.length, events: [...new Set(rows.map((r) => r.event_uuid))] },
      });
    }
    return rows.length;
  });
}
