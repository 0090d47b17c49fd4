import { beforeAll, describe, expect, it } from 'vitest';
import supertest from 'supertest';
import { config, setConfig } from '../../src/config.js';
import { buildApp } from '../../src/app.js';
import { seedReference } from '../../seeders/reference.js';
import { SUPERUSER, sessionCookie } from './support.js';

describe('admin session cookie in production', () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    // Only the cookie policy reads NODE_ENV from the config; AdminJS itself keeps its test mode.
    setConfig({ ...config(), NODE_ENV: 'production' });
    app = await buildApp({ admin: true });
    await seedReference();
  });

  it('marks the cookie Secure behind a TLS-terminating proxy', async () => {
    const res = await supertest(app).post('/admin/login').set('Host', 'admin.test').set('Origin', 'https://admin.test')
      .set('X-Forwarded-Proto', 'https').type('form').send(SUPERUSER);
    expect(res.status).toBe(302);
    const cookie = sessionCookie(res)!;
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it('never sends the session cookie over plain http', async () => {
    const res = await supertest(app).post('/admin/login').set('Host', 'admin.test').set('Origin', 'http://admin.test')
      .type('form').send(SUPERUSER);
    expect(sessionCookie(res)).toBeUndefined();
  });
});
