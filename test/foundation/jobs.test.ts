import { describe, expect, it } from 'vitest';
import { runJob } from '../../src/jobs/runtime.js';
import { JobRun } from '../../src/models/index.js';
import { logger } from '../../src/lib/logger.js';
import { startScheduler } from '../../jobs/scheduler.js';
import { testDatabaseUrl } from '../support/db.js';

describe('job runtime', () => {
  it('records a successful run with its result', async () => {
    const outcome = await runJob('test-ok', async () => ({ swept: 3 }));
    expect(outcome).toEqual({ ran: true, result: { swept: 3 } });
    const run = await JobRun.findOne({ where: { name: 'test-ok' } });
    expect(run?.status).toBe('succeeded');
    expect(run?.detail).toEqual({ swept: 3 });
    expect(run?.finished_at).toBeInstanceOf(Date);
  });

  it('records a failed run with its error and rethrows', async () => {
    await expect(runJob('test-fail', async () => {
      throw new Error('boom');
    })).rejects.toThrow('boom');
    const run = await JobRun.findOne({ where: { name: 'test-fail' } });
    expect(run?.status).toBe('failed');
    expect(run?.error).toBe('boom');
  });

  it('runs a job on one instance at a time: a concurrent run of the same job is skipped', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = runJob('test-lock', async () => {
      await gate;
      return { first: true };
    });
    await new Promise((r) => setTimeout(r, 100));
    const second = await runJob('test-lock', async () => ({ second: true }));
    release();
    expect(second).toEqual({ ran: false });
    expect((await first).ran).toBe(true);
    expect(await JobRun.count({ where: { name: 'test-lock' } })).toBe(1);
  });

  it('runs a scheduled TypeScript job in a Bree worker thread', async () => {
    const previous = process.env.DATABASE_URL;
    process.env.DATABASE_URL = testDatabaseUrl();
    const scheduler = await startScheduler(logger, { autostart: false });
    try {
      await scheduler.run('sweep-rate-limits');
      const deadline = Date.now() + 20_000;
      let run: JobRun | null = null;
      while (Date.now() < deadline) {
        run = await JobRun.findOne({ where: { name: 'sweep-rate-limits', status: 'succeeded' } });
        if (run) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(run?.detail).toEqual({ deleted: 0 });
    } finally {
      await scheduler.stop();
      process.env.DATABASE_URL = previous;
    }
  });
});
