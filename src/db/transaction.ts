import type { Transaction } from 'sequelize';
import type { Context } from '../context.js';
import { sequelize } from './connection.js';

/**
 * Runs `fn` in one database transaction — the unit of every command: the state change, counters,
 * audit rows and notifications commit together or not at all. Nested calls join the outer
 * transaction. Serialization failures and deadlocks are retried a few times.
 */
export async function withTransaction<T>(ctx: Context, fn: (tx: Transaction, ctx: Context) => Promise<T>): Promise<T> {
  if (ctx.transaction) return fn(ctx.transaction, ctx);
  for (let attempt = 1; ; attempt++) {
    try {
      return await sequelize().transaction(async (tx) => {
        beforeCommit.set(tx, []);
        const result = await fn(tx, { ...ctx, transaction: tx });
        await flushBeforeCommit(tx);
        return result;
      });
    } catch (err) {
      if (attempt >= 5 || !isRetryable(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 * attempt + Math.random() * 20));
    }
  }
}

function isRetryable(err: unknown): boolean {
  const code = (err as { parent?: { code?: string }; original?: { code?: string } })?.parent?.code;
  return code === '40001' || code === '40P01';
}

/** Work queued to run as the last statements of a withTransaction transaction, just before COMMIT. */
const beforeCommit = new WeakMap<Transaction, (() => Promise<void>)[]>();

/**
 * Queues `fn` to run inside `tx` right before it commits (used by the audit writer so the
 * chain-head lock is held as briefly as possible). Returns false when `tx` was not opened by
 * withTransaction — the caller must then do the work now.
 */
export function onBeforeCommit(tx: Transaction, fn: () => Promise<void>): boolean {
  const queue = beforeCommit.get(tx);
  if (!queue) return false;
  queue.push(fn);
  return true;
}

async function flushBeforeCommit(tx: Transaction): Promise<void> {
  const queue = beforeCommit.get(tx)!;
  for (let next = queue.shift(); next; next = queue.shift()) await next();
  // Anything queued from now on runs immediately (the callers see `false`).
  beforeCommit.delete(tx);
}
