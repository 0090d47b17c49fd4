import { createContext, type Actor, type Context } from '../context.js';
import { sha256 } from '../lib/crypto.js';

/** What the session keeps about the logged-in staff member (set at login). */
export interface AdminUser extends Actor {
  email: string;
  title?: string;
}

interface AdminRequestLike {
  headers?: Record<string, string | string[] | undefined>;
  clientIp?: string;
  clientUserAgent?: string;
  sessionID?: string;
}

/**
 * The command context of an AdminJS action: the staff actor, source `admin`, ip and user agent of
 * the request and the session key (AdminJS hands handlers a copy of the Express request's own fields;
 * `clientIp` and `clientUserAgent` are set by the admin router; the ip is Express's trust-proxy-aware
 * `req.ip`).
 */
export function adminContext(currentAdmin: unknown, request: unknown): Context {
  const admin = currentAdmin as AdminUser | undefined;
  const req = (request ?? {}) as AdminRequestLike;
  // Node's IncomingMessage.headers is a prototype getter, so the copied ActionRequest may lack it;
  // the admin router copies the user agent into an own field beside clientIp.
  const ua = req.clientUserAgent ?? req.headers?.['user-agent'];
  return createContext({
    source: 'admin',
    actor: admin ? { id: Number(admin.id), uuid: admin.uuid, is_staff: !!admin.is_staff, is_superuser: !!admin.is_superuser, email: admin.email } : null,
    ip: req.clientIp ?? null,
    userAgent: Array.isArray(ua) ? ua[0] : ua ?? null,
    // A digest, not the session id itself: audit rows are readable in the panel, a live sid is a login.
    sessionKey: req.sessionID ? sha256(req.sessionID).slice(0, 32) : null,
  });
}
