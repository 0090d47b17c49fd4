import { Router, type Express } from 'express';
import type AdminJS from 'adminjs';
import { buildRouter } from '@adminjs/express';
import { logger } from '../lib/logger.js';
import { createAdmin } from './admin.js';
import { prepareBundleMode } from './env.js';
import { loginRoutes } from './login-routes.js';
import { sameOriginOnly } from './origin.js';
import { ADMIN_ROOT, type MakeResource } from './resource-options.js';
import { adminSession } from './session.js';
import { panelUploads } from './uploads.js';

export interface MountOptions {
  /** The adapter resource factory (the benchmark passes the stock adapter). */
  make?: MakeResource;
}

/**
 * The back office router, mounted at /admin. Order matters: client ip for audit rows → same-origin guard on
 * writes → PostgreSQL session → our login/logout and staff guard → the image upload door (before
 * AdminJS's multipart parser) → AdminJS's own routes.
 */
export function adminRouter(options: MountOptions = {}): { router: Router; admin: AdminJS } {
  prepareBundleMode((line) => logger.warn(line));
  const admin = createAdmin(options.make);
  const router = Router();
  router.use((req, _res, next) => {
    // @adminjs/express copies the request's own fields into the ActionRequest: adminContext reads it.
    Object.assign(req, { clientIp: req.ip, clientUserAgent: req.get('user-agent') });
    next();
  });
  router.use(sameOriginOnly);
  router.use(adminSession());
  router.use(loginRoutes(admin));
  router.use(panelUploads());
  buildRouter(admin, router);
  return { router, admin };
}

/** Mounts the panel synchronously (the benchmark; the app itself uses src/admin/lazy.ts). */
export function mountAdmin(app: Express, options: MountOptions = {}): AdminJS {
  const { router, admin } = adminRouter(options);
  app.use(ADMIN_ROOT, router);
  return admin;
}
