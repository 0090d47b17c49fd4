import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { assertPublicUrl, guardedLookup } from './guard.js';

/** A whole attempt (connect, send, first byte, body) must finish within this. */
export const SEND_TIMEOUT_MS = 10_000;
/** Bytes of the receiver's answer read (and then dropped); nothing in it is used. */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface Attempt {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/**
 * One signed POST per the Standard Webhooks specification: `webhook-id` (the message, the same on
 * every retry), `webhook-timestamp` (this attempt), `webhook-signature` (v1, HMAC-SHA256 over
 * id.timestamp.body) computed by the `standardwebhooks` package. 2xx is success; anything else,
 * redirects included (never followed), is a failure to retry.
 */
export async function sendSigned(input: { url: string; secret: string; webhookId: string; body: string; at: Date }): Promise<Attempt> {
  let url: URL;
  try {
    url = await assertPublicUrl(input.url);
  } catch (err) {
    return { ok: false, status: null, error: (err as Error).message };
  }
  const signature = new Webhook(input.secret).sign(input.webhookId, input.at, input.body);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(input.body)),
    'user-agent': 'Loopin-Webhooks/1',
    'webhook-id': input.webhookId,
    'webhook-timestamp': String(Math.floor(input.at.getTime() / 1000)),
    'webhook-signature': signature,
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<Attempt>((resolve) => {
    let settled = false;
    const done = (a: Attempt) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(a);
    };
    const req = client.request(url, { method: 'POST', headers, lookup: guardedLookup as never, agent: false }, (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      const finish = () => done(status >= 200 && status < 300
        ? { ok: true, status, error: null }
        : { ok: false, status, error: status >= 300 && status < 400 ? `HTTP ${status} (redirects are not followed)` : `HTTP ${status}` });
      res.on('end', finish);
      res.on('close', finish);
      res.on('error', finish);
    });
    const timer = setTimeout(() => {
      req.destroy(new Error(`timed out after ${SEND_TIMEOUT_MS / 1000} s`));
    }, SEND_TIMEOUT_MS);
    req.on('error', (err) => done({ ok: false, status: null, error: err.message.slice(0, 500) }));
    req.end(input.body);
  });
}
