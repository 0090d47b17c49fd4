import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { runJob } from '../../src/jobs/runtime.js';
import { EventAttendee, JobRun } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { buildEvent, buildRequest, buildUser, phone } from '../support/factories.js';
import { testDatabaseUrl } from '../support/setup.js';
import { SUPERUSER } from '../admin/support.js';
import { seedReference } from '../../seeders/reference.js';
import { codeSentTo, startInstance, type Instance } from './instances.js';

/**
 * The scale-out promise (DESIGN.md): N stateless instances on one PostgreSQL. Two real server
 * processes on this file's database: a login on one works on the other, so does an admin session;
 * rate limits are shared; a job tick started on both runs once; capacity holds across both.
 */
describe('two instances on one database', { timeout: 180_000 }, () => {
  let a: Instance;
  let b: Instance;
  beforeAll(async () => {
    await seedReference();
    [a, b] = await Promise.all([startInstance(testDatabaseUrl()), startInstance(testDatabaseUrl())]);
  }, 180_000);
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
  });

  const post = (i: Instance, path: string, body: object, headers: Record<string, string> = {}) =>
    fetch(`${i.base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('a code sent by one instance logs in on the other, and its tokens work and rotate on the first', async () => {
    const number = phone();
    expect((await post(a, '/api/auth/signup', { phone_number: number })).status).toBe(200);
    const login = await post(b, '/api/auth/verify-otp', { phone_number: number, otp_code: codeSentTo(a, number) });
    expect(login.status).toBe(200);
    const tokens = await login.json() as { access_token: string; refresh_token: string };
    const profile = await fetch(`${a.base}/api/auth/profile`, { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(profile.status).toBe(200);
    const rotated = await post(a, '/api/auth/refresh', { refresh_token: tokens.refresh_token });
    expect(rotated.status).toBe(200);
    const next = await rotated.json() as { refresh_token: string };
    expect((await post(b, '/api/auth/refresh', { refresh_token: next.refresh_token })).status).toBe(200);
  });

  it('an admin session opened on one instance is valid on the other', async () => {
    const form = new URLSearchParams({ email: SUPERUSER.email, password: SUPERUSER.password });
    const signIn = await fetch(`${a.base}/admin/login`, {
      method: 'POST', redirect: 'manual', body: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: a.base },
    });
    expect(signIn.status).toBe(302);
    const cookie = signIn.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    expect(cookie).not.toBe('');
    const list = await fetch(`${b.base}/admin/api/resources/venue/actions/list`, { headers: { cookie } });
    expect(list.status).toBe(200);
    expect(await list.json()).toHaveProperty('records');
    const anonymous = await fetch(`${b.base}/admin/api/resources/venue/actions/list`, { redirect: 'manual' });
    expect(anonymous.status).not.toBe(200);
  });

  it('rate limits are shared: a phone\'s hourly sends are counted across both instances', async () => {
    const number = phone();
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(i % 2 ? b : a, '/api/auth/signup', { phone_number: number })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('capacity holds when both instances accept at once', async () => {
    const event = await buildEvent({ max_capacity: 3 });
    const requests = await Promise.all(Array.from({ length: 10 }, () => buildRequest({ event })));
    const auth = await bearer(event.host);
    const results = await Promise.all(requests.map((r, i) =>
      post(i % 2 ? b : a, `/api/events/${event.uuid}/requests/${r.uuid}/accept`, {}, { authorization: auth })));
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(3);
    expect(statuses.filter((s) => s === 409)).toHaveLength(7);
    const [row] = await sequelize().query<{ going: number; counter: number }>(
      `select (select coalesce(sum(seats), 0)::int from event_attendee where event_id = :id and status in ('going','checked_in')) as going,
              (select going_count from event where id = :id) as counter`,
      { replacements: { id: event.id }, type: QueryTypes.SELECT },
    );
    expect(row).toEqual({ going: 3, counter: 3 });
    expect(await EventAttendee.count({ where: { event_id: event.id } })).toBe(3);
  });

  it('a job tick started on two instances at once runs once', async () => {
    // Each "instance" is its own connection taking the job's advisory lock, as the schedulers do.
    const tick = () => runJob('matrix-probe-job', async () => {
      await sequelize().query('select pg_sleep(0.3)');
      return { ok: true };
    });
    const outcomes = await Promise.all([tick(), tick(), tick(), tick()]);
    expect(outcomes.filter((o) => o.ran)).toHaveLength(1);
    expect(await JobRun.count({ where: { name: 'matrix-probe-job' } })).toBe(1);
  });

  it('both instances stay healthy', async () => {
    for (const i of [a, b]) expect((await fetch(`${i.base}/readyz`)).status).toBe(200);
    const user = await buildUser();
    const auth = await bearer(user);
    for (const i of [a, b]) expect((await fetch(`${i.base}/api/auth/profile`, { headers: { authorization: auth } })).status).toBe(200);
  });
});
