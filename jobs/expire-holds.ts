import { runJobFile } from '../src/jobs/runtime.js';
import { expireHolds } from '../src/modules/joining/commands/holds.js';

await runJobFile('expire-holds', (ctx) => expireHolds(ctx));
