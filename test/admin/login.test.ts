import { beforeEach, describe, expect, it } from 'vitest';
import { clock } from '../../src/lib/clock.js';
import { RateLimit } from '../../src/models/index.js';
import { AuditLog } from '../../src/models/index.js';
import { hashPassword } from '../../src/lib/password.js';
import { buildUser } from '../support/factories.js';
import { ORIGIN, SUPERUSER, browserAgent, login, sessionCookie, superuserAgent } from './support.js';
import { seedReference } from '../../seeders/reference.js';

describe('admin login', () => {
  beforeEach(async () => {
    // Every test starts with fresh login counters, inside one 15-minute window.
    await RateLimit.destroy({ where: {} });
    clock.set('2026-03-02T10:01:00Z');
  });

  it('signs the seeded superuser in with a new session id and hardened cookie flags', async () => {
    await seedReference();
    const agent = await browserAgent();
    const before = await agent.get('/admin/login');
    expect(before.status).toBe(200);
    // Plant a pre-login session (as an attacker fixing the id would): touch a page that saves one.
    const planted = await agent.post('/admin/login').type('form').send({ email: SUPERUSER.email, password: 'wrong-password' });
    expect(planted.status).toBe(401);

    const res = await login(agent, SUPERUSER.email, SUPERUSER.password);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/admin');
    const cookie = sessionCookie(res)!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\/admin/);
    expect(cookie).toMatch(/Expires=/);
    expect(cookie).not.toMatch(/Secure/i); // secure only in production (tests run over http)

    const page = await agent.get('/admin/api/resources/venue/actions/list');
    expect(page.status).toBe(200);

    const logins = await AuditLog.findAll({ where: { command: 'admin.login' }, order: [['id', 'ASC']] });
    expect(logins.map((l) => l.is_successful)).toEqual([false, true]);
    expect(logins[1]!.ip_address).toBeTruthy();
    expect(logins[1]!.user_agent).toBe('vitest-admin/1.0');
    expect(logins[0]!.error_message).toBe('wrong password');
  });

  it('changes the session id at login', async () => {
    await seedReference();
    const agent = await browserAgent();
    // A session created before login (AdminJS would save one for redirectTo); we force one by logging in twice.
    const first = await login(agent, SUPERUSER.email, SUPERUSER.password);
    const firstSid = sessionCookie(first)!.split(';')[0];
    const second = await login(agent, SUPERUSER.email, SUPERUSER.password);
    const secondSid = sessionCookie(second)!.split(';')[0];
    expect(secondSid).not.toBe(firstSid);
    // The old id no longer opens the panel.
    const stale = await (await browserAgent()).get('/admin/api/resources/venue/actions/list').set('Cookie', firstSid!);
    expect(stale.status).toBe(401);
  });

  it('refuses a non-staff user with the right password, and audits why', async () => {
    const user = await buildUser({ email: 'member@loopin.test', password: await hashPassword('member-password') });
    const agent = await browserAgent();
    const res = await login(agent, 'member@loopin.test', 'member-password');
    expect(res.status).toBe(401);
    expect(res.text).toContain('Invalid email or password');
    expect(sessionCookie(res)).toBeUndefined();
    expect((await agent.get('/admin/api/resources/venue/actions/list')).status).toBe(401);
    const row = await AuditLog.findOne({ where: { command: 'admin.login', user_id: user.id } });
    expect(row?.is_successful).toBe(false);
    expect(row?.error_message).toBe('not staff');
  });

  it('refuses an inactive staff member', async () => {
    await buildUser({ email: 'gone@loopin.test', is_staff: true, is_active: false, password: await hashPassword('gone-password') });
    const res = await login(await browserAgent(), 'gone@loopin.test', 'gone-password');
    expect(res.status).toBe(401);
  });

  it('rate-limits the sixth attempt on one email within 15 minutes, even with the right password', async () => {
    await seedReference();
    const agent = await browserAgent();
    for (let i = 0; i < 5; i++) expect((await login(agent, SUPERUSER.email, `wrong-${i}`)).status).toBe(401);
    const blocked = await login(agent, SUPERUSER.email, SUPERUSER.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(blocked.text).toContain('Too many failed sign-in attempts');
    const refused = await AuditLog.count({ where: { command: 'admin.login', error_message: 'rate limited' } });
    expect(refused).toBe(1);
  });

  it('counts parallel guesses exactly: never more than 5 verifications per email', async () => {
    await seedReference();
    const agents = await Promise.all(Array.from({ length: 12 }, () => browserAgent()));
    const results = await Promise.all(agents.map((a, i) => login(a, 'race@loopin.test', `guess-${i}`)));
    expect(results.filter((r) => r.status === 401)).toHaveLength(5);
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
  });

  it('refuses a state-changing request from a foreign origin (or with no origin) with 403', async () => {
    const agent = await superuserAgent();
    const foreign = await agent.post('/admin/api/resources/venue/actions/new')
      .set('Origin', 'https://evil.example').type('form').send({ name: 'Evil venue' });
    expect(foreign.status).toBe(403);
    const viaReferer = await agent.post('/admin/api/resources/venue/actions/new')
      .unset('Origin').set('Referer', 'https://evil.example/page').type('form').send({ name: 'Evil venue' });
    expect(viaReferer.status).toBe(403);
    const own = await agent.post('/admin/api/resources/venue/actions/new')
      .set('Origin', ORIGIN).type('form').send({ name: 'Own venue', venue_type: 'indoor', capacity: '10' });
    expect(own.status).toBe(200);
    expect(own.body.record.params.name).toBe('Own venue');
  });

  it('logs out and audits it', async () => {
    const agent = await superuserAgent();
    const res = await agent.get('/admin/logout');
    expect(res.status).toBe(302);
    expect((await agent.get('/admin/api/resources/venue/actions/list')).status).toBe(401);
    expect(await AuditLog.count({ where: { command: 'admin.logout' } })).toBe(1);
  });
});
