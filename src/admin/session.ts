import type { RequestHandler } from 'express';
import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import pg from 'pg';
import { config } from '../config.js';
import { sequelize } from '../db/connection.js';
import { hmac } from '../lib/crypto.js';
import { logger } from '../lib/logger.js';
import { secretFor } from '../lib/secrets.js';
import type { AdminUser } from './context.js';

declare module 'express-session' {
  interface SessionData {
    adminUser?: AdminUser;
  }
}

export const SESSION_COOKIE = 'loopin.admin.sid';
/** A staff session lasts a working day; every request slides it (rolling). */
export const SESSION_MAX_AGE_MS = 8 * 60 * 60 * 1000;

/**
 * SESSION_SECRET, or in production one derived from the (required) JWT_SECRET so every instance
 * agrees without another variable, or in development one generated once into the data dir.
 */
export function sessionSecret(): string {
  const cfg = config();
  if (cfg.SESSION_SECRET) return cfg.SESSION_SECRET;
  if (cfg.NODE_ENV === 'production' && cfg.JWT_SECRET) return hmac(cfg.JWT_SECRET, 'loopin-admin-session');
  return secretFor('session', undefined, cfg.DATA_DIR);
}

/** A small pool of its own for the session store, on the same database as the models. */
function sessionPool(): pg.Pool {
  const c = sequelize().config;
  const pool = new pg.Pool({
    host: c.host, port: Number(c.port ?? 5432), user: c.username, password: c.password ?? undefined, database: c.database,
    max: 4, idleTimeoutMillis: 10_000, allowExitOnIdle: true, application_name: 'loopin-admin-session',
  });
  // An idle client dropped by the server (restart, failover) must not crash the process.
  pool.on('error', (err) => logger.warn({ err: err.message }, 'admin session pool: idle client error'));
  return pool;
}

/**
 * express-session stored in PostgreSQL (table admin_session, migration 0101), so any instance can
 * serve any staff member. The cookie is httpOnly, SameSite=Lax, Secure in production, scoped to
 * /admin and expires; the id is regenerated at login (src/admin/login-routes.ts).
 */
export function adminSession(): RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    store: new PgStore({ pool: sessionPool(), tableName: 'admin_session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
    name: SESSION_COOKIE,
    secret: sessionSecret(),
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: {
      httpOnly: true,
      sameSite: 'lax',
      secure: config().NODE_ENV === 'production',
      maxAge: SESSION_MAX_AGE_MS,
      path: '/admin',
    },
  });
}
