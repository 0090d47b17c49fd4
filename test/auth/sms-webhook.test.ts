import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { phone } from '../support/factories.js';
import { UserPhoneOtp } from '../../src/models/index.js';
import { createSmsProvider, setSmsProvider } from '../../src/modules/auth/sms/provider.js';
import { ConsoleSmsProvider } from '../../src/modules/auth/sms/console.js';
import { WebhookSmsProvider } from '../../src/modules/auth/sms/webhook.js';
import { expectProblem, signup, verify } from './helpers.js';

/** A local SMS gateway: records what it receives and answers with `mode`. */
let mode: 'ok' | 'fail' | 'hang' = 'ok';
const received: { contentType?: string; body: { to: string; body: string } }[] = [];
const server = http.createServer((req, res) => {
  let raw = '';
  req.on('data', (c) => (raw += c));
  req.on('end', () => {
    received.push({ contentType: req.headers['content-type'], body: JSON.parse(raw) });
    if (mode === 'hang') return; // never answers: the provider's timeout must fire
    res.writeHead(mode === 'ok' ? 202 : 500).end();
  });
});
let url = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  setSmsProvider(new WebhookSmsProvider(url, { timeoutMs: 300 }));
});
afterEach(() => {
  mode = 'ok';
});
afterAll(async () => {
  setSmsProvider(undefined);
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const codeFrom = (body: string) => {
  const runs = body.match(/\d{4,}/g) ?? [];
  expect(runs).toHaveLength(1);
  return runs[0]!;
};

describe('webhook SMS provider', () => {
  it('POSTs {to, body} as JSON and the code it carries logs the user in', async () => {
    const number = phone();
    expect((await signup(number)).status).toBe(200);
    const sms = received.at(-1)!;
    expect(sms.contentType).toMatch(/application\/json/);
    expect(Object.keys(sms.body).sort()).toEqual(['body', 'to']);
    expect(sms.body.to).toBe(number);
    expect((await verify(number, codeFrom(sms.body.body))).status).toBe(200);
  });

  it.each(['fail', 'hang'] as const)('answers 503 when the gateway %s, leaving no usable code', async (m) => {
    mode = m;
    const number = phone();
    const res = await signup(number);
    expectProblem(res, 503);
    const code = codeFrom(received.at(-1)!.body.body);
    const otp = await UserPhoneOtp.findOne({ where: { phone_number: number } });
    expect(otp!.status).toBe('expired');
    expectProblem(await verify(number, code), 400, 'otp_code');
    mode = 'ok';
    expect((await signup(number)).status).toBe(200);
  });

  it('is chosen by SMS_PROVIDER, console by default', () => {
    expect(createSmsProvider({ SMS_PROVIDER: 'webhook', SMS_WEBHOOK_URL: url })).toBeInstanceOf(WebhookSmsProvider);
    expect(createSmsProvider({ SMS_PROVIDER: 'console', SMS_WEBHOOK_URL: undefined })).toBeInstanceOf(ConsoleSmsProvider);
  });
});
