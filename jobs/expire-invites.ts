import { runJobFile } from '../src/jobs/runtime.js';
import { expireInvites } from '../src/modules/joining/commands/invites.js';

await runJobFile('expire-invites', (ctx) => expireInvites(ctx));
