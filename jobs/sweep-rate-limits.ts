import { runJobFile } from '../src/jobs/runtime.js';
import { sweepRateLimits } from '../src/db/rate-limit.js';

await runJobFile('sweep-rate-limits', async (ctx) => ({ deleted: await sweepRateLimits(ctx.now()) }));
