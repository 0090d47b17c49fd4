import crypto from 'node:crypto';
import { derivedSecret } from '../../lib/jwt.js';

/*
 * Endpoint signing secrets. Standard Webhooks signs with HMAC, so the server must read the secret
 * back: it is kept encrypted at rest (AES-256-GCM), under a key derived from the JWT secret for this
 * one purpose, and shown to the host once, when the endpoint is created.
 */
const PREFIX = 'whsec_';
const VERSION = 'v1';

/** A new secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export function mintWebhookSecret(): string {
  return PREFIX + crypto.randomBytes(24).toString('base64');
}

const key = (): Buffer => Buffer.from(derivedSecret('webhook-secret'), 'hex');

export function encryptWebhookSecret(secret: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key(), iv);
  const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return [VERSION, iv.toString('base64'), cipher.getAuthTag().toString('base64'), sealed.toString('base64')].join(':');
}

export function decryptWebhookSecret(stored: string): string {
  const [version, iv, tag, sealed] = stored.split(':');
  if (version !== VERSION || !iv || !tag || !sealed) throw new Error('unreadable webhook secret');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key(), Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(sealed, 'base64')), decipher.final()]).toString('utf8');
}
