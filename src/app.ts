import express, { type Express } from 'express';
import { sequelize } from './db/connection.js';
import { config } from './config.js';
import { apiNotFound, pageNotFound, problemHandler } from './http/problem.js';
import { docsRouter } from './http/docs.js';
import { requestLog } from './http/request-log.js';
import { adminHeaders, apiCors, apiHeaders, bodyLimit, docsHeaders, wellFormedUrl } from './http/security.js';
import { openApiDocument } from './http/openapi.js';
import { apiRouters } from './modules/index.js';
import { lazyAdmin } from './admin/lazy.js';
import { attachAvailabilityHub, availabilityHub, type HubOptions } from './modules/availability/hub.js';
import { PANEL_UPLOAD_BODY, PANEL_UPLOAD_PATH } from './admin/uploads.js';

export interface AppOptions {
  /** Mount the AdminJS back office at /admin (default true). */
  admin?: boolean;
  /** Availability stream settings instead of the config's (tests: short heartbeats, small limits). */
  availability?: Partial<HubOptions>;
}

/** The panel's forms (images arrive as URLs): 1 MB is plenty; its upload door alone takes a file. */
export const ADMIN_BODY_LIMIT_BYTES = 1024 * 1024;

/** Builds the Express app (API, docs, health, admin). It does not listen: tests drive it in process. */
export async function buildApp(options: AppOptions = {}): Promise<Express> {
  const app = express();
  app.disable('x-powered-by');
  const cfg = config();
  attachAvailabilityHub(app, {
    perInstance: cfg.AVAILABILITY_STREAMS_PER_INSTANCE, perClient: cfg.AVAILABILITY_STREAMS_PER_CLIENT,
    heartbeatMs: cfg.AVAILABILITY_HEARTBEAT_MS, coalesceMs: cfg.AVAILABILITY_COALESCE_MS, ...options.availability,
  });
  app.set('trust proxy', cfg.TRUST_PROXY);
  app.use(requestLog());
  app.use(wellFormedUrl);

  app.get(['/healthz', '/readyz'], apiHeaders());
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', (_req, res) => {
    sequelize().query('select 1')
      .then(() => res.json({ status: 'ready' }))
      .catch(() => res.status(503).type('application/problem+json').send(JSON.stringify({
        type: 'about:blank', title: 'Service unavailable', status: 503, detail: 'Database unreachable', errors: [],
      })));
  });

  // The docs page has its own CSP (it runs a script); everything else under /api is JSON only.
  app.use('/api/docs', docsHeaders(), docsRouter());

  const api = express.Router();
  api.use(apiCors(), apiHeaders());
  // Payment webhooks are verified on the exact bytes received, whatever their content type, before
  // anything parses them: read raw here, and express.json below skips a body already read.
  api.use('/payments/webhooks', express.raw({ type: () => true, limit: '256kb' }));
  // The raw body is kept for webhook signature checks, which must run on the exact bytes received.
  api.use(express.json({
    limit: '100kb',
    verify: (req, _res, buf) => {
      (req as express.Request).rawBody = buf;
    },
  }));
  api.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  for (const router of apiRouters) api.use(router);
  api.use(apiNotFound);
  app.use('/api', api);

  if (options.admin !== false) {
    app.use('/admin', adminHeaders(), bodyLimit(ADMIN_BODY_LIMIT_BYTES, { [PANEL_UPLOAD_PATH]: PANEL_UPLOAD_BODY }), lazyAdmin());
  }

  app.use(apiHeaders(), pageNotFound);
  app.use(problemHandler);
  return app;
}

/**
 * What an app holds open beyond its HTTP connections, released on shutdown before server.close():
 * its availability streams (ended, so close() does not wait on them) and their LISTEN connection.
 */
export async function closeApp(app: Express): Promise<void> {
  await availabilityHub(app).close();
}
