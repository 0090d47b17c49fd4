import { runJobFile } from '../src/jobs/runtime.js';
import { expireStaleOtps } from '../src/modules/auth/commands/index.js';

await runJobFile('expire-otps', (ctx) => expireStaleOtps(ctx));
