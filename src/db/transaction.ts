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
  return retrying(() => sequelize().transaction((tx) => fn(tx, { ...ctx, transaction: tx })));
}

/**
 * Runs an atomic unit of work (a transaction, or one autocommit statement such as a command's SQL
 * function), retrying it a few times on serialization failures and deadlocks.
 */
export async function retrying<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
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
