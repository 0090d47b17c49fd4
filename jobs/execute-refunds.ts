import { runJobFile } from '../src/jobs/runtime.js';
import { executePendingRefunds } from '../src/modules/payments/commands/index.js';

await runJobFile('execute-refunds', (ctx) => executePendingRefunds(ctx));
