import crypto, { type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { QueryTypes, type Sequelize } from 'sequelize';
import { SignJWT, calculateJwkThumbprint, createLocalJWKSet, exportJWK, jwtVerify, type JWK } from 'jose';
import { config } from '../../config.js';
import { sequelize } from '../../db/connection.js';
import { clock } from '../../lib/clock.js';

/*
 * qr_payload: a compact JWS (a JWT, EdDSA over Ed25519) naming the ticket, its event and its seats.
 * A door device verifies it offline with the public keys of GET /api/checkin/keys. The private key is
 * TICKET_SIGNING_KEY (PEM) in production, or one generated once per data dir in development. Every
 * public key that ever signed is kept in checkin_signing_key by kid (its RFC 7638 thumbprint), so a
 * rotated-out key stays in the JWKS and the codes it signed keep verifying.
 */
export const QR_TYPE = 'loopin-ticket+jwt';
const ISSUER = 'loopin';

export interface QrClaims { ticket: string; event: string; seats: number }

interface Signer { kid: string; privateKey: KeyObject; publicJwk: JWK }

/** A PEM from the environment may carry its newlines as `\n`. */
export const pemOf = (value: string): string => value.replace(/\\n/g, '\n').trim();

/** Throws unless `pem` is an Ed25519 private key (config.ts checks TICKET_SIGNING_KEY with it). */
export function assertEd25519PrivateKey(pem: string): KeyObject {
  const key = crypto.createPrivateKey(pemOf(pem));
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`expected an Ed25519 key, got ${key.asymmetricKeyType}`);
  return key;
}

/** The development key: created once in the data dir (mode 600); concurrent first starts share one. */
function devKeyPem(dataDir: string): string {
  const file = path.join(path.resolve(dataDir), 'ticket-signing-key.pem');
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const pem = crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    fs.writeFileSync(file, pem, { mode: 0o600, flag: 'wx' });
    return pem;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return fs.readFileSync(file, 'utf8');
    throw err;
  }
}

let signer: Promise<Signer> | undefined;

async function loadSigner(): Promise<Signer> {
  const cfg = config();
  const privateKey = assertEd25519PrivateKey(cfg.TICKET_SIGNING_KEY ?? devKeyPem(cfg.DATA_DIR));
  const { kty, crv, x } = await exportJWK(crypto.createPublicKey(privateKey));
  const base = { kty: kty!, crv: crv!, x: x! };
  const kid = await calculateJwkThumbprint(base, 'sha256');
  return { kid, privateKey, publicJwk: { ...base, kid, alg: 'EdDSA', use: 'sig' } };
}

function currentSigner(): Promise<Signer> {
  signer ??= loadSigner().catch((err: unknown) => {
    signer = undefined;
    throw err;
  });
  return signer;
}

/** Databases (one per Sequelize instance) that already hold the current public key. */
const registered = new WeakMap<Sequelize, Promise<void>>();

/** Records the current public key in checkin_signing_key (once per process and database). */
function ensureRegistered(s: Signer): Promise<void> {
  const db = sequelize();
  let done = registered.get(db);
  if (!done) {
    done = db.query('INSERT INTO checkin_signing_key (kid, public_jwk) VALUES (:kid, CAST(:jwk AS jsonb)) ON CONFLICT (kid) DO NOTHING', {
      replacements: { kid: s.kid, jwk: JSON.stringify(s.publicJwk) },
    }).then(() => undefined, (err: unknown) => {
      registered.delete(db);
      throw err;
    });
    registered.set(db, done);
  }
  return done;
}

/** Signs the qr_payload of a ticket. Deterministic (Ed25519, no time claim): the same ticket, the same code. */
export async function signQr(claims: QrClaims): Promise<string> {
  const s = await currentSigner();
  await ensureRegistered(s);
  return new SignJWT({ ticket: claims.ticket, event: claims.event, seats: claims.seats })
    .setProtectedHeader({ alg: 'EdDSA', kid: s.kid, typ: QR_TYPE })
    .setIssuer(ISSUER)
    .sign(s.privateKey);
}

export interface Jwks { keys: JWK[] }

interface CachedJwks { at: number; jwks: Jwks; verify: ReturnType<typeof createLocalJWKSet> }
const jwksCache = new WeakMap<Sequelize, CachedJwks>();
const JWKS_TTL_MS = 60_000;

/** Every public key that signed qr_payloads here (the current one first), as a JWKS. */
export async function checkinJwks(): Promise<Jwks> {
  return (await cachedJwks(true)).jwks;
}

async function cachedJwks(fresh = false): Promise<CachedJwks> {
  const db = sequelize();
  const hit = jwksCache.get(db);
  if (hit && !fresh && Date.now() - hit.at < JWKS_TTL_MS) return hit;
  const s = await currentSigner();
  await ensureRegistered(s);
  const rows = await db.query<{ public_jwk: JWK }>('SELECT public_jwk FROM checkin_signing_key ORDER BY id DESC', { type: QueryTypes.SELECT });
  const keys = [s.publicJwk, ...rows.map((r) => r.public_jwk).filter((k) => k.kid !== s.kid)];
  const entry = { at: Date.now(), jwks: { keys }, verify: createLocalJWKSet({ keys }) };
  jwksCache.set(db, entry);
  return entry;
}

/**
 * Verifies a qr_payload as a door device would (signature by a published key, issuer, type) and
 * returns its claims; null for anything forged, altered or malformed.
 */
export async function verifyQr(token: string): Promise<QrClaims | null> {
  const attempt = async (entry: CachedJwks) => {
    const { payload } = await jwtVerify(token, entry.verify, {
      algorithms: ['EdDSA'], issuer: ISSUER, typ: QR_TYPE, currentDate: clock.now(),
    });
    const { ticket, event, seats } = payload as Record<string, unknown>;
    if (typeof ticket !== 'string' || typeof event !== 'string' || typeof seats !== 'number') return null;
    return { ticket, event, seats };
  };
  try {
    return await attempt(await cachedJwks());
  } catch (err) {
    // A key added by another instance since the cache was filled: look once more.
    if ((err as { code?: string }).code !== 'ERR_JWKS_NO_MATCHING_KEY') return null;
    try {
      return await attempt(await cachedJwks(true));
    } catch {
      return null;
    }
  }
}

/** Loads the key again on next use, after the configuration changed (a server reads it once, at start). */
export function reloadSigningKey(): void {
  signer = undefined;
}
