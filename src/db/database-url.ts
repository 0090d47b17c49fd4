import { config } from '../config.js';
import { startEmbedded, type EmbeddedServer } from './embedded.js';

/**
 * Where the database is: DATABASE_URL when set, otherwise an embedded PostgreSQL under DATA_DIR
 * (started here, stopped by the returned `stop`).
 */
export async function resolveDatabase(log: (line: string) => void): Promise<{ url: string; stop: () => Promise<void> }> {
  const url = config().DATABASE_URL;
  if (url) return { url, stop: async () => undefined };
  const server: EmbeddedServer = await startEmbedded(config().DATA_DIR, { log });
  return { url: server.url(), stop: () => server.stop() };
}
