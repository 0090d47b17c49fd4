import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Bree from 'bree';
import type { Logger } from 'pino';
import { SCHEDULE } from './schedule.js';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * Runs the scheduled jobs in this process (SCHEDULER=on) with Bree: each run is a worker thread that
 * loads TypeScript through tsx. Jobs lock themselves, so every instance may run a scheduler.
 */
export async function startScheduler(logger: Logger): Promise<{ stop: () => Promise<void> }> {
  const bree = new Bree({
    root,
    defaultExtension: 'ts',
    acceptedExtensions: ['.ts'],
    jobs: SCHEDULE.map((j) => ({ name: j.name, interval: j.interval, cron: j.cron, timeout: 0 })),
    worker: { execArgv: ['--import', 'tsx'] },
    logger: { info: () => undefined, warn: (m: unknown) => logger.warn(m), error: (m: unknown) => logger.error(m) } as never,
    errorHandler: (error: unknown, meta: unknown) => logger.error({ err: error, meta }, 'job worker error'),
  });
  await bree.start();
  logger.info(`scheduler started: ${SCHEDULE.map((j) => j.name).join(', ')}`);
  return { stop: () => bree.stop() };
}
