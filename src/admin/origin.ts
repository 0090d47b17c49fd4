import type { RequestHandler } from 'express';
import { config } from '../config.js';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function originOf(value: string | undefined): string | null {
  if (!value) return null;
  try {
    const url = new URL(value);
    return url.origin === 'null' ? null : url.origin;
  } catch {
    return null;
  }
}

/**
 * CSRF guard for the panel: a state-changing request must come from a page of this site. Browsers
 * send Origin on every POST (the Referer stands in when a privacy setting strips it); a request with
 * neither, or from another origin, is refused with 403. SameSite=Lax cookies are the second line.
 */
export const sameOriginOnly: RequestHandler = (req, res, next) => {
  if (SAFE.has(req.method)) return next();
  const claimed = originOf(req.get('origin')) ?? originOf(req.get('referer'));
  const own = new Set([`${req.protocol}://${req.get('host') ?? ''}`]);
  const pub = originOf(config().PUBLIC_URL);
  if (pub) own.add(pub);
  if (claimed && own.has(claimed)) return next();
  res.status(403).type('text/plain').send('Forbidden: cross-origin request refused');
};
