import { runJobFile } from '../src/jobs/runtime.js';
import { expireOrders } from '../src/modules/payments/commands/index.js';

await runJobFile('expire-orders', (ctx) => expireOrders(ctx));
