import type { RequestHandler } from 'express';
import cors from 'cors';
import helmet from 'helmet';
import { config } from '../config.js';
import { AppError, ValidationFailed } from '../lib/errors.js';

/**
 * HTTP hardening in one place: helmet headers per surface (the JSON API, the docs page, the
 * AdminJS panel — each with the narrowest CSP it works under), HSTS only in production (a
 * development server on http://localhost must not pin browsers to https), CORS from CORS_ORIGINS,
 * and the input guards that turn malformed transport into 400s before any route runs.
 */
const production = () => config().NODE_ENV === 'production';
const hsts = () => (production() ? { maxAge: 31_536_000, includeSubDomains: true } : false as const);

/** The API answers JSON only: nothing may run, load or frame under it. */
export const apiHeaders = (): RequestHandler => helmet({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"], baseUri: ["'none'"], formAction: ["'none'"] } },
  strictTransportSecurity: hsts(),
  crossOriginResourcePolicy: { policy: 'same-site' },
});

/** The docs page: its script and init file come from us (no CDN), Scalar injects styles at run time. */
export const docsHeaders = (): RequestHandler => helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'"], styleSrc: ["'self'", "'unsafe-inline'"], imgSrc: ["'self'", 'data:', 'blob:'],
      fontSrc: ["'self'", 'data:'], connectSrc: ["'self'"], workerSrc: ["'self'", 'blob:'], objectSrc: ["'none'"],
      baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: hsts(),
});

/**
 * The panel: AdminJS's page template carries inline scripts (its initial state) and styled-components
 * inject styles, so both need 'unsafe-inline'; no eval, no third-party scripts, no framing. Event
 * images are arbitrary https URLs, hence img-src https:. The template links Google Fonts; allowing
 * them keeps the panel's look when online and costs nothing offline.
 */
export const adminHeaders = (): RequestHandler => helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"], scriptSrc: ["'self'", "'unsafe-inline'"], styleSrc: ["'self'", "'unsafe-inline'", 'https://fonts.googleapis.com'],
      fontSrc: ["'self'", 'data:', 'https://fonts.gstatic.com'], imgSrc: ["'self'", 'data:', 'blob:', 'https:'], connectSrc: ["'self'"],
      objectSrc: ["'none'"], baseUri: ["'self'"], formAction: ["'self'"], frameAncestors: ["'none'"],
    },
  },
  strictTransportSecurity: hsts(),
  crossOriginEmbedderPolicy: false,
  // no-referrer would make the browser send `Origin: null` on form posts, which the panel's
  // same-origin guard (src/admin/origin.ts) rightly refuses.
  referrerPolicy: { policy: 'same-origin' },
});

/** Origins allowed to call the API from a browser (CORS_ORIGINS, comma-separated; none by default). */
export function corsOrigins(): string[] {
  return config().CORS_ORIGINS.split(',').map((s) => s.trim().replace(/\/+$/, '')).filter(Boolean);
}

export const apiCors = (): RequestHandler => {
  const allowed = new Set(corsOrigins());
  return cors({
    origin: (origin, cb) => cb(null, !!origin && allowed.has(origin)),
    methods: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    allowedHeaders: ['Authorization', 'Content-Type', 'X-Request-Id', 'Idempotency-Key'],
    exposedHeaders: ['Retry-After', 'X-Request-Id'],
    maxAge: 600,
  });
};

/**
 * Express decodes path parameters lazily and throws URIError on bad percent-encoding; query strings
 * are decoded leniently (a bad escape stays literal). Both are refused here, once, as 400.
 */
export const wellFormedUrl: RequestHandler = (req, _res, next) => {
  const [path = '', query = ''] = req.originalUrl.split(/\?(.*)/s);
  const decodes = (part: string) => {
    try {
      decodeURIComponent(part.replace(/\+/g, ' '));
      return true;
    } catch {
      return false;
    }
  };
  if (!decodes(path)) {
    next(ValidationFailed.field('path', 'contains invalid percent-encoding'));
    return;
  }
  for (const pair of query.split('&')) {
    const [name = '', value = ''] = pair.split(/=(.*)/s);
    if (!decodes(name) || !decodes(value)) {
      next(ValidationFailed.field(decodes(name) ? decodeURIComponent(name.replace(/\+/g, ' ')) : 'query', 'contains invalid percent-encoding'));
      return;
    }
  }
  next();
};

/**
 * Bodies over `limit` bytes are refused before any parser reads them (the panel's multipart parser
 * has no limit of its own); `byPath` gives single paths (relative to the mount) a limit and message of their own.
 */
export function bodyLimit(limitBytes: number, byPath: Record<string, { bytes: number; detail: string }> = {}): RequestHandler {
  return (req, _res, next) => {
    const length = Number(req.get('content-length') ?? 0);
    const own = byPath[req.path];
    if (length > (own?.bytes ?? limitBytes)) next(new AppError(413, 'Payload too large', own?.detail ?? 'Request body is too large'));
    else if (req.get('transfer-encoding') && !req.get('content-length') && !['GET', 'HEAD'].includes(req.method)) {
      next(new AppError(411, 'Length required', 'Send the body with a Content-Length'));
    } else next();
  };
}
