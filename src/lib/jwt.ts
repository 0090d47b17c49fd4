import crypto from 'node:crypto';
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { Unauthorized } from './errors.js';
import { clock } from './clock.js';

/**
 * Access tokens: HS256 JWTs, algorithm pinned on verify (so `alg: none` and key-confusion tricks
 * fail), 15 minutes, `sub` = the user's uuid. The clock is ours so tests can expire them.
 */
const ALG = 'HS256';
const ISSUER = 'loopin';
const AUDIENCE = 'loopin-api';
export const ACCESS_TTL_SECONDS = 15 * 60;

let key: Uint8Array | undefined;
/** derivedSecret() results for the current key: HKDF per call was ≈ 5 % of a discovery request's CPU (the cursor key). */
let derived = new Map<string, string>();

export function setJwtSecret(secret: string): void {
  key = new TextEncoder().encode(secret);
  derived = new Map();
}

function signingKey(): Uint8Array {
  if (!key) throw new Error('JWT secret not configured');
  return key;
}

/**
 * A key for another purpose (OTP HMACs, refresh-token hashes) derived from the JWT secret with HKDF,
 * so one configured secret serves them all while no two purposes ever share key material.
 */
export function derivedSecret(purpose: string): string {
  let secret = derived.get(purpose);
  if (secret === undefined) {
    secret = Buffer.from(crypto.hkdfSync('sha256', signingKey(), 'loopin', `loopin:${purpose}`, 32)).toString('hex');
    derived.set(purpose, secret);
  }
  return secret;
}

export async function signAccessToken(userUuid: string): Promise<string> {
  const now = Math.floor(clock.now().getTime() / 1000);
  return new SignJWT({ typ: 'access' })
    .setProtectedHeader({ alg: ALG, typ: 'JWT' })
    .setSubject(userUuid)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt(now)
    .setExpirationTime(now + ACCESS_TTL_SECONDS)
    .sign(signingKey());
}

/** Returns the user uuid of a valid access token; anything else is 401. */
export async function verifyAccessToken(token: string): Promise<string> {
  try {
    const { payload } = await jwtVerify(token, signingKey(), {
      algorithms: [ALG],
      issuer: ISSUER,
      audience: AUDIENCE,
      currentDate: clock.now(),
      // jose only checks exp when present; a token without one would never expire.
      requiredClaims: ['exp', 'iat', 'sub'],
    });
    if (payload.typ !== 'access' || typeof payload.sub !== 'string') throw new Unauthorized('Invalid token');
    return payload.sub;
  } catch (err) {
    if (err instanceof Unauthorized) throw err;
    if (err instanceof joseErrors.JWTExpired) throw new Unauthorized('Token expired');
    throw new Unauthorized('Invalid token');
  }
}
