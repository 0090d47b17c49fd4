import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { config, loadConfig, setConfig } from '../../src/config.js';
import { systemContext } from '../../src/context.js';
import { deliverDueWebhooks } from '../../src/modules/webhooks/deliver.js';
import type { HostEventType } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A local receiver on 127.0.0.1: records every request; answers with the queued statuses, then 200. */
export async function receiver() {
  const received: Received[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (body += c));
    req.on('end', () => {
      received.push({ path: req.url ?? '/', headers: req.headers, body });
      const status = answers.shift() ?? 200;
      if (status >= 300 && status < 400) res.setHeader('Location', `${url}/elsewhere`);
      res.writeHead(status).end(status >= 400 ? 'nope' : 'ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url, received, answers,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** WEBHOOK_ALLOW_PRIVATE_URLS on (the local receiver is loopback) or off. */
export function allowPrivate(on: boolean): void {
  setConfig(loadConfig({ ...process.env, WEBHOOK_ALLOW_PRIVATE_URLS: on ? 'true' : 'false' }));
}

export const original = config();

/** One run of the deliver-webhooks job's command. */
export const deliver = () => deliverDueWebhooks(systemContext('job'));

/** Registers an endpoint through the API; returns its uuid and the secret shown once. */
export async function registerEndpoint(host: { uuid: string }, url: string, events: HostEventType[]) {
  const res = await (await api()).post('/api/host/webhooks').set('Authorization', await bearer(host)).send({ url, events });
  if (res.status !== 201) throw new Error(`endpoint not created: ${res.status} ${res.text}`);
  return res.body as { uuid: string; secret: string; url: string; events: HostEventType[] };
}

/** Verifies a received delivery with the standardwebhooks package; returns the parsed body. */
export function verified(secret: string, r: Received): { type: string; timestamp: string; data: Record<string, unknown> } {
  return new Webhook(secret).verify(r.body, {
    'webhook-id': String(r.headers['webhook-id']),
    'webhook-timestamp': String(r.headers['webhook-timestamp']),
    'webhook-signature': String(r.headers['webhook-signature']),
  }) as never;
}
