import type { Server } from 'node:http';
import { config, configOrExit, setConfig } from './config.js';
import { connect, disconnect } from './db/connection.js';
import { resolveDatabase } from './db/database-url.js';
import { lockDataDir } from './db/server-lock.js';
import { migrateOnStart } from './db/migrate-on-start.js';
import { setJwtSecret } from './lib/jwt.js';
import { secretFor } from './lib/secrets.js';
import { seedReference } from '../seeders/reference.js';

/** Process entry: config → database → migrate → seed → listen → scheduler; graceful shutdown. */
async function main(): Promise<void> {
  setConfig(configOrExit());
  const { logger } = await import('./lib/logger.js');
  const cfg = config();
  // Only the embedded database lives in the data dir; with DATABASE_URL any number of servers may run.
  const unlock = cfg.DATABASE_URL ? () => undefined : lockDataDir(cfg.DATA_DIR);
  const db = await resolveDatabase((line) => logger.info(line));
  const sequelize = connect(db.url);
  const applied = await migrateOnStart(sequelize);
  if (applied.length) logger.info({ applied }, 'migrations applied');
  setJwtSecret(secretFor('jwt', cfg.JWT_SECRET, cfg.DATA_DIR));
  await seedReference((line) => logger.info(line));

  const { buildApp, closeApp } = await import('./app.js');
  const { createHttpServer } = await import('./http/listen.js');
  const app = await buildApp();
  const server: Server = await new Promise<Server>((resolve, reject) => {
    const s = createHttpServer(app).listen(cfg.PORT, cfg.HOST, () => resolve(s));
    s.once('error', reject);
  }).catch(async (err: NodeJS.ErrnoException) => {
    await disconnect();
    await db.stop();
    unlock();
    throw err.code === 'EADDRINUSE' ? new Error(`port ${cfg.PORT} is already in use (set PORT)`) : err;
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : cfg.PORT;
  logger.info(`Loopin listening on http://localhost:${port} (API /api, docs /api/docs, admin /admin)`);

  const { startScheduler } = await import('../jobs/scheduler.js');
  const scheduler = cfg.SCHEDULER ? await startScheduler(logger) : null;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    await scheduler?.stop().catch(() => undefined);
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    // Long-lived streams would keep close() waiting: end them (and their LISTEN connection) now.
    await closeApp(app).catch(() => undefined);
    server.closeIdleConnections();
    await closed;
    await disconnect();
    await db.stop();
    unlock();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Loopin failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
