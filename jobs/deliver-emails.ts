import { runJobFile } from '../src/jobs/runtime.js';
import { deliverDueEmails } from '../src/modules/notifications/outbox/deliver.js';

await runJobFile('deliver-emails', (ctx) => deliverDueEmails(ctx, { batchSize: 200 }));
