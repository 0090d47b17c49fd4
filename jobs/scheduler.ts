import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import type { Logger } from 'pino';
import { SCHEDULE } from './schedule.js';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs the scheduled jobs in this process (SCHEDULER=on) with Bree: each run is a worker thread
 * (jobs/worker.mjs registers tsx there, then loads jobs/<name>.ts). Jobs lock themselves, so every instance may run a scheduler.
 */
export interface Scheduler {
  stop(): Promise<void>;
  /** Runs one job now, in a worker, as the schedule would. */
  run(name: string): Promise<void>;
}

export async function startScheduler(logger: Logger, { autostart = true } = {}): Promise<Scheduler> {
  const bree = new Bree({
    root,
    jobs: SCHEDULE.map((j) => ({
      name: j.name,
      path: path.join(root, 'worker.mjs'),
      interval: j.interval,
      cron: j.cron,
      worker: { workerData: { job: j.name } },
    })),
    logger: { info: () => undefined, warn: (m: unknown) => logger.warn(m), error: (m: unknown) => logger.error(m) } as never,
    errorHandler: (error: unknown, meta: unknown) => logger.error({ err: error, meta }, 'job worker error'),
  });
  if (autostart) {
    await bree.start();
    logger.info(`scheduler started: ${SCHEDULE.map((j) => j.name).join(', ')}`);
  }
  return { stop: () => bree.stop(), run: (name) => bree.run(name) };
}
