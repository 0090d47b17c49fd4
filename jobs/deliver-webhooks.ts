import { config } from '../src/config.js';
import { runJobFile } from '../src/jobs/runtime.js';
import { setJwtSecret } from '../src/lib/jwt.js';
import { secretFor } from '../src/lib/secrets.js';
import { deliverDueWebhooks } from '../src/modules/webhooks/deliver.js';

// Endpoint secrets are encrypted under a key derived from the JWT secret (src/modules/webhooks/secret.ts).
setJwtSecret(secretFor('jwt', config().JWT_SECRET, config().DATA_DIR));
await runJobFile('deliver-webhooks', (ctx) => deliverDueWebhooks(ctx, { batchSize: 200 }));
