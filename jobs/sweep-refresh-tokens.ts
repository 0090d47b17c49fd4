import { runJobFile } from '../src/jobs/runtime.js';
import { sweepRefreshTokens } from '../src/modules/auth/commands/index.js';

await runJobFile('sweep-refresh-tokens', (ctx) => sweepRefreshTokens(ctx));
