import { runJobFile } from '../src/jobs/runtime.js';
import { completePastEvents } from '../src/modules/attendance/commands/complete-events.js';

await runJobFile('complete-events', (ctx) => completePastEvents(ctx));
