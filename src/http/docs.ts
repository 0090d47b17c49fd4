import { createRequire } from 'node:module';
import { Router } from 'express';

/**
 * The human docs at /api/docs, working offline: the Scalar bundle is served from the installed
 * @scalar/api-reference package (never a CDN) and the page has no inline script, so the CSP can
 * say script-src 'self'. The page only points the bundle at our own /api/openapi.json.
 */
const require = createRequire(import.meta.url);
const bundle = require.resolve('@scalar/api-reference/browser/standalone.js');

const PAGE = `<!doctype html>
<html lang="en">
  <head>
    <title>Loopin API</title>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
  </head>
  <body>
    <div id="app"></div>
    <script src="/api/docs/standalone.js"></script>
    <script src="/api/docs/init.js"></script>
  </body>
</html>
`;

const INIT = `Scalar.createApiReference('#app', ${JSON.stringify({ url: '/api/openapi.json', withDefaultFonts: false, telemetry: false })});\n`;

export function docsRouter(): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.type('text/html').send(PAGE);
  });
  router.get('/init.js', (_req, res) => {
    res.type('text/javascript').send(INIT);
  });
  router.get('/standalone.js', (_req, res, next) => {
    res.sendFile(bundle, { maxAge: '1h' }, (err) => err && next(err));
  });
  return router;
}
