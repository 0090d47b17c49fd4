import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { SignJWT } from 'jose';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { config, setConfig } from '../../src/config.js';
import { createHttpServer, SERVER_TIMEOUTS } from '../../src/http/listen.js';
import { decodeCursor, encodeCursor } from '../../src/lib/cursor.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';

const problem = (res: { status: number; headers: Record<string, string>; body: unknown }, status: number) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
};

describe('5xx from input become 400 problem+json', () => {
  it('refuses invalid percent-encoding in path parameters and query strings', async () => {
    const agent = await api();
    problem(await agent.get('/api/events/%E0%A4%A'), 400);
    problem(await agent.get('/api/events/%ED%A0%80'), 400);
    problem(await agent.get('/api/venues/%'), 400);
    problem(await agent.get('/api/events?search=%ZZ'), 400);
  });

  it('refuses lone surrogates in bodies, naming the field', async () => {
    const agent = await api();
    const res = await agent.post('/api/auth/signup').set('Content-Type', 'application/json').send('{"phone_number":"\\ud800"}');
    problem(res, 400);
    expect(res.body.errors[0].field).toBe('phone_number');
    const user = await buildUser();
    const token = await agent.post('/api/invites/share-link/accept').set('Authorization', await bearer(user))
      .set('Content-Type', 'application/json').send('{"token":"abc\\udc00"}');
    problem(token, 400);
  });

  it('refuses bodies that are not JSON objects, and bodies that are not JSON', async () => {
    const agent = await api();
    problem(await agent.post('/api/auth/signup').set('Content-Type', 'application/json').send('["+919876543210"]'), 400);
    problem(await agent.post('/api/auth/signup').set('Content-Type', 'text/plain').send('phone_number=+919876543210'), 415);
    problem(await agent.post('/api/auth/signup').set('Content-Type', 'application/json').send('{"phone_number":'), 400);
  });

  it('opaque cursors: sealed, unreadable, unforgeable; a tampered cursor is a 400 naming cursor', async () => {
    const c = encodeCursor(['2026-12-01T00:00:00.000Z', 'b3f8c1de-8f0c-4c1e-9f55-6c1e2a4b7a10']);
    expect(Buffer.from(c, 'base64url').toString('latin1')).not.toContain('2026');
    expect(decodeCursor(c, 2)).toEqual(['2026-12-01T00:00:00.000Z', 'b3f8c1de-8f0c-4c1e-9f55-6c1e2a4b7a10']);
    const flipped = Buffer.from(c, 'base64url');
    flipped[14] = flipped[14]! ^ 1;
    expect(() => decodeCursor(flipped.toString('base64url'), 2)).toThrow(/cursor/);
    // What the probe sent: readable JSON with a key PostgreSQL cannot hold.
    const forged = Buffer.from(JSON.stringify(['99999-01-01', 'x'])).toString('base64url');
    const agent = await api();
    const res = await agent.get(`/api/events?cursor=${forged}`);
    problem(res, 400);
    expect(res.body.errors[0].field).toBe('cursor');
    expect(decodeCursor(encodeCursor([1e308, null]), 2)).toEqual([1e308, null]);
  });

  it('joining lists carry no numeric id in their cursors', async () => {
    const host = await buildUser();
    const event = await buildEvent({ host });
    const agent = await api();
    const { buildRequest } = await import('../support/factories.js');
    for (let i = 0; i < 3; i++) await buildRequest({ event });
    const first = await agent.get(`/api/events/${event.uuid}/requests?page_size=1`).set('Authorization', await bearer(host));
    expect(first.status).toBe(200);
    const second = await agent.get(`/api/events/${event.uuid}/requests?page_size=1&cursor=${first.body.next}`).set('Authorization', await bearer(host));
    expect(second.status).toBe(200);
    expect(second.body.results[0].uuid).not.toBe(first.body.results[0].uuid);
  });

  it('unknown paths outside /api answer problem+json, or a plain page for browsers', async () => {
    const agent = await api();
    const json = await agent.get('/nothing/here');
    problem(json, 404);
    expect(json.body.title).toBe('Not found');
    const html = await agent.get('/nothing/here').set('Accept', 'text/html,application/xhtml+xml');
    expect(html.status).toBe(404);
    expect(html.headers['content-type']).toMatch(/^text\/html/);
    expect(html.text).toContain('Not found');
  });
});

describe('access tokens', () => {
  it('refuses a token without exp even when correctly signed', async () => {
    const user = await buildUser();
    const key = new TextEncoder().encode(config().JWT_SECRET!);
    const token = await new SignJWT({ typ: 'access' }).setProtectedHeader({ alg: 'HS256' }).setSubject(user.uuid)
      .setIssuer('loopin').setAudience('loopin-api').setIssuedAt().sign(key);
    const agent = await api();
    problem(await agent.get('/api/auth/profile').set('Authorization', `Bearer ${token}`), 401);
  });
});

describe('headers', () => {
  it('helmet on the API: CSP default-src none, frame-ancestors none, nosniff, no HSTS outside production', async () => {
    const res = await (await api()).get('/api/interests');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['strict-transport-security']).toBeUndefined();
    expect((await (await api()).get('/healthz')).headers['x-frame-options']).toBe('SAMEORIGIN');
  });

  it('docs page works offline: its script is served from the installed package, no CDN, no inline script', async () => {
    const agent = await api();
    const page = await agent.get('/api/docs');
    expect(page.status).toBe(200);
    expect(page.text).not.toMatch(/https?:\/\//);
    expect(page.text).not.toMatch(/<script>[^<]/);
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    const bundle = await agent.get('/api/docs/standalone.js');
    expect(bundle.status).toBe(200);
    expect(bundle.headers['content-type']).toMatch(/javascript/);
    expect(bundle.text.length).toBeGreaterThan(100_000);
    const init = await agent.get('/api/docs/init.js');
    expect(init.text).toContain('/api/openapi.json');
  });

  describe('production and CORS', () => {
    const saved = config();
    beforeAll(() => setConfig({ ...saved, NODE_ENV: 'production', CORS_ORIGINS: 'https://app.loopin.test, https://web.loopin.test/' }));
    afterAll(() => setConfig(saved));

    it('HSTS in production; CORS only for CORS_ORIGINS', async () => {
      const agent = supertest(await buildApp({ admin: false }));
      const res = await agent.get('/api/interests').set('Origin', 'https://web.loopin.test');
      expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
      expect(res.headers['access-control-allow-origin']).toBe('https://web.loopin.test');
      const other = await agent.get('/api/interests').set('Origin', 'https://evil.test');
      expect(other.headers['access-control-allow-origin']).toBeUndefined();
      const preflight = await agent.options('/api/auth/profile').set('Origin', 'https://app.loopin.test')
        .set('Access-Control-Request-Method', 'PATCH').set('Access-Control-Request-Headers', 'authorization,content-type');
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-methods']).toContain('PATCH');
      expect(preflight.headers['access-control-allow-headers']?.toLowerCase()).toContain('authorization');
    });
  });

  it('the panel has a CSP with frame-ancestors none and a body limit', async () => {
    const agent = supertest(await buildApp({ admin: true }));
    const login = await agent.get('/admin/login');
    expect(login.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(login.headers['content-security-policy']).toContain("script-src 'self' 'unsafe-inline'");
    const big = await agent.post('/admin/login').set('Content-Type', 'application/x-www-form-urlencoded')
      .send(`email=${'a'.repeat(1024 * 1024 + 10)}`);
    expect(big.status).toBe(413);
  });
});

describe('the HTTP server', () => {
  let server: ReturnType<typeof createHttpServer>;
  let port: number;
  beforeAll(async () => {
    server = createHttpServer(await buildApp({ admin: false }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('sets headers, request and keep-alive timeouts', () => {
    expect(server.headersTimeout).toBe(SERVER_TIMEOUTS.headersTimeout);
    expect(server.requestTimeout).toBe(SERVER_TIMEOUTS.requestTimeout);
    expect(server.keepAliveTimeout).toBe(SERVER_TIMEOUTS.keepAliveTimeout);
  });

  const raw = (text: string) => new Promise<string>((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text));
    let out = '';
    socket.on('data', (d) => { out += d.toString('latin1'); });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });

  it('over-long headers answer 431 problem+json, not an empty response', async () => {
    const out = await raw(`GET /api/interests HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    expect(out).toMatch(/^HTTP\/1\.1 431/);
    expect(out).toContain('Content-Type: application/problem+json');
    expect(out).toContain('"status":431');
  });

  it('a malformed request line answers 400 problem+json', async () => {
    const out = await raw('NOT HTTP AT ALL\r\n\r\n');
    expect(out).toMatch(/^HTTP\/1\.1 400/);
    expect(out).toContain('"status":400');
  });
});
