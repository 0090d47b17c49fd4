import { runJobFile } from '../src/jobs/runtime.js';
import { resealPayoutAccounts } from '../src/modules/money/commands/account.js';

// On demand after a key rotation (README "Payout key rotation"): every account moves to the current key.
await runJobFile('reseal-payout-accounts', (ctx) => resealPayoutAccounts(ctx, { batchSize: 200 }));
