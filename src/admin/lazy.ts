import type { RequestHandler, Router } from 'express';
import { logger } from '../lib/logger.js';

/** How long after the app is built the panel starts loading unasked (the first /admin request starts it sooner). */
const WARM_AFTER_MS = 750;

/**
 * The panel, loaded off the start path. Importing AdminJS costs seconds of CPU (it pulls in its
 * rollup and babel bundler at module load), and neither the API nor /readyz should wait for it or
 * share the CPU with it while the server comes up: the import starts shortly after the app is built
 * (or at the first /admin request), and /admin requests wait until the router is ready.
 * Nothing here imports adminjs statically.
 */
export function lazyAdmin(): RequestHandler {
  let ready: Promise<Router> | undefined;
  const load = () => {
    if (ready) return ready;
    const started = Date.now();
    ready = import('./mount.js').then(({ adminRouter }) => {
      const { router } = adminRouter();
      logger.info(`AdminJS ready in ${Date.now() - started} ms`);
      return router;
    });
    ready.catch((err: unknown) => logger.error({ err }, 'AdminJS failed to load'));
    return ready;
  };
  setTimeout(() => void load().catch(() => undefined), WARM_AFTER_MS).unref();
  return (req, res, next) => {
    load().then((router) => router(req, res, next), next);
  };
}
