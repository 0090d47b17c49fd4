import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import type AdminJS from 'adminjs';
import { createContext } from '../context.js';
import { sha256 } from '../lib/crypto.js';
import { AppError } from '../lib/errors.js';
import { logger } from '../lib/logger.js';
import { audit } from '../modules/audit/writer.js';
import { withTransaction } from '../db/transaction.js';
import { config } from '../config.js';
import { currentStaff, staffLogin } from '../modules/auth/commands/index.js';
import { DEVICE_TOKEN_DAYS } from '../modules/auth/staff-login-limits.js';

/** The device cookie: proof that this browser signed in to the account before (docs/decisions/0110). */
export const DEVICE_COOKIE = 'loopin.admin.device';

function cookieValue(req: Request, name: string): string | null {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return decodeURIComponent(v.join('=')) || null;
  }
  return null;
}

/** Paths reachable without a session: the login form and the static assets it needs. */
const PUBLIC = [/^\/login\/?$/, /^\/frontend\/assets\//];

function requestContext(req: Request) {
  return createContext({
    source: 'admin', ip: req.ip ?? null, userAgent: req.get('user-agent') ?? null,
    sessionKey: req.sessionID ? sha256(req.sessionID).slice(0, 32) : null,
  });
}

const regenerate = (req: Request) => new Promise<void>((resolve, reject) => req.session.regenerate((e) => (e ? reject(e) : resolve())));
const save = (req: Request) => new Promise<void>((resolve, reject) => req.session.save((e) => (e ? reject(e) : resolve())));

/**
 * Login, logout and the session guard, replacing @adminjs/express's (which keeps the session id
 * across login and counts retries in process memory). Mounted before the AdminJS routes.
 */
export function loginRoutes(admin: AdminJS): Router {
  const router = Router();
  const { loginPath, rootPath } = admin.options;
  const page = async (res: Response, status: number, errorMessage: string | null) =>
    res.status(status).type('html').send(await admin.renderLogin({ action: loginPath, errorMessage }));

  router.get('/login', (_req, res, next) => {
    page(res, 200, null).catch(next);
  });

  router.post('/login', express.urlencoded({ extended: false, limit: '10kb' }), (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const identifier = typeof body.email === 'string' ? body.email : '';
    const password = typeof body.password === 'string' ? body.password : '';
    (async () => {
      try {
        const { staff, deviceToken } = await staffLogin(requestContext(req), {
          identifier, password, deviceToken: cookieValue(req, DEVICE_COOKIE),
        });
        // A fresh session id at the privilege change: a planted pre-login id is worthless.
        await regenerate(req);
        req.session.adminUser = staff;
        await save(req);
        res.cookie(DEVICE_COOKIE, deviceToken, {
          httpOnly: true, sameSite: 'strict', secure: config().NODE_ENV === 'production',
          path: `${rootPath}/login`, maxAge: DEVICE_TOKEN_DAYS * 24 * 3600 * 1000,
        });
        res.redirect(302, rootPath);
      } catch (err) {
        if (!(err instanceof AppError)) throw err;
        res.set(err.headers);
        await page(res, err.status, err.message);
      }
    })().catch(next);
  });

  router.get('/logout', (req, res, next) => {
    const user = req.session?.adminUser;
    (async () => {
      if (user) {
        const ctx = { ...requestContext(req), actor: user };
        await withTransaction(ctx, (_tx, txCtx) => audit(txCtx, {
          action: 'logout', command: 'admin.logout', object: { type: 'auth_user', id: user.id, uuid: user.uuid },
        }));
      }
      await new Promise<void>((resolve) => (req.session ? req.session.destroy(() => resolve()) : resolve()));
      res.redirect(302, loginPath);
    })().catch(next);
  });

  router.use(requireStaff(loginPath));
  return router;
}

/**
 * Every other panel request needs a session whose user is still an active staff member (checked
 * against the database each time, so revoking staff takes effect at once). API calls get 401 JSON,
 * pages a redirect to the login form.
 */
function requireStaff(loginPath: string): RequestHandler {
  return (req, res, next) => {
    if (PUBLIC.some((p) => p.test(req.path))) return next();
    const id = req.session?.adminUser?.id;
    (async () => {
      const staff = id ? await currentStaff(Number(id)) : null;
      if (!staff) {
        if (id) await new Promise<void>((resolve) => req.session.destroy(() => resolve()));
        if (req.path.startsWith('/api/')) res.status(401).json({ message: 'Not signed in' });
        else res.redirect(302, loginPath);
        return;
      }
      req.session.adminUser = staff;
      next();
    })().catch((err: unknown) => {
      logger.error({ err }, 'admin session check failed');
      next(err);
    });
  };
}
