import type { RequestHandler } from 'express';
import type { Actor } from '../context.js';
import { Forbidden, Unauthorized } from '../lib/errors.js';
import { verifyAccessToken } from '../lib/jwt.js';
import { AuthUser } from '../models/index.js';
import { isUuid } from '../lib/uuid.js';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
    rawBody?: Buffer;
  }
}


async function actorFromHeader(header: string | undefined): Promise<Actor | undefined> {
  if (!header) return undefined;
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header.trim());
  if (!match) throw new Unauthorized('Malformed Authorization header');
  const uuid = await verifyAccessToken(match[1]!);
  // Only we sign tokens, but a non-uuid subject must still be a 401, not a database cast error.
  if (!isUuid(uuid)) throw new Unauthorized('Invalid token');
  const user = await AuthUser.findOne({
    where: { uuid },
    attributes: ['id', 'uuid', 'is_staff', 'is_superuser', 'is_active', 'email'],
  });
  if (!user) throw new Unauthorized('Unknown account');
  // A deactivated account is known but may not act: 403, the same answer verify-otp and refresh give.
  if (!user.is_active) throw new Forbidden('Account is deactivated');
  return { id: user.id, uuid: user.uuid, is_staff: user.is_staff, is_superuser: user.is_superuser, email: user.email };
}

/** Requires a valid access token; sets `req.actor`. Missing/expired/invalid → 401, deactivated → 403. */
export const authenticated: RequestHandler = (req, _res, next) => {
  actorFromHeader(req.get('authorization'))
    .then((actor) => {
      if (!actor) throw new Unauthorized();
      req.actor = actor;
      next();
    })
    .catch(next);
};

/** Sets `req.actor` when a token is present; anonymous otherwise. A bad token is still 401. */
export const optionalAuth: RequestHandler = (req, _res, next) => {
  actorFromHeader(req.get('authorization'))
    .then((actor) => {
      if (actor) req.actor = actor;
      next();
    })
    .catch(next);
};
