import { runJobFile } from '../src/jobs/runtime.js';
import { purgeExpiredNotifications } from '../src/modules/notifications/commands/index.js';

await runJobFile('sweep-notifications', (ctx) => purgeExpiredNotifications(ctx, { batchSize: 5000 }));
