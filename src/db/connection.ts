import pg from 'pg';
import { Sequelize, type Options } from 'sequelize';
import { initModels } from '../models/index.js';

// BIGINT ids fit comfortably in a JS number; parse them as numbers (DECIMAL money stays a string).
pg.types.setTypeParser(pg.types.builtins.INT8, (v) => Number(v));

let instance: Sequelize | undefined;
let instanceUrl: string | undefined;

export interface ConnectOptions {
  poolMax?: number;
  logging?: Options['logging'];
}

/** Opens the process-wide Sequelize instance and initialises every model on it. */
export function connect(url: string, { poolMax = 20, logging = false }: ConnectOptions = {}): Sequelize {
  instance = new Sequelize(url, {
    dialect: 'postgres',
    logging,
    pool: { max: poolMax, min: 0, idle: 10_000, acquire: 30_000 },
    define: { underscored: true, timestamps: true, createdAt: 'created_at', updatedAt: 'updated_at' },
    dialectOptions: { application_name: 'loopin' },
  });
  initModels(instance);
  instanceUrl = url;
  return instance;
}

/**
 * A connection of its own to the same database, outside the pool (LISTEN holds its connection for
 * as long as it listens, which a pooled one must not). The caller connects and ends it.
 */
export function dedicatedClient(applicationName: string): pg.Client {
  if (!instanceUrl) throw new Error('database not connected: call connect() first');
  return new pg.Client({ connectionString: instanceUrl, application_name: applicationName, keepAlive: true });
}

export function sequelize(): Sequelize {
  if (!instance) throw new Error('database not connected: call connect() first');
  return instance;
}

export async function disconnect(): Promise<void> {
  const current = instance;
  instance = undefined;
  instanceUrl = undefined;
  await current?.close();
}
