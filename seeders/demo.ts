import { configOrExit, setConfig } from '../src/config.js';
import { connect, disconnect, sequelize } from '../src/db/connection.js';
import { resolveDatabase } from '../src/db/database-url.js';
import { migrateUp } from '../src/db/migrate.js';
import { setJwtSecret } from '../src/lib/jwt.js';
import { secretFor } from '../src/lib/secrets.js';
import { seedDemo } from './demo/index.js';
import { seedReference } from './reference.js';

/**
 * `npm run seed:demo`: a believable back office to open /admin on (see seeders/demo/): hosts,
 * past / live / upcoming events, orders on every payment provider, refunds, check-ins, payouts,
 * webhook deliveries and the audit trail, all through the domain commands. Idempotent.
 */
async function main(): Promise<void> {
  const cfg = configOrExit();
  setConfig(cfg);
  // Tickets and webhook secrets are derived from the server key: the same key the server derives.
  setJwtSecret(secretFor('jwt', cfg.JWT_SECRET, cfg.DATA_DIR));
  const db = await resolveDatabase((line) => console.log(line));
  connect(db.url);
  try {
    await migrateUp(sequelize());
    await seedReference((line) => console.log(line));
    await seedDemo((line) => console.log(line));
  } finally {
    await disconnect();
    await db.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`seed:demo failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
  process.exit(1);
});
