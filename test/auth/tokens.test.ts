import { describe, expect, it } from 'vitest';
import { SignJWT } from 'jose';
import { api } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { clock, DAY, MINUTE } from '../../src/lib/clock.js';
import { signAccessToken } from '../../src/lib/jwt.js';
import { AuditLog, AuthUser, RefreshToken } from '../../src/models/index.js';
import { expectProblem, login } from './helpers.js';
import { phone } from '../support/factories.js';

const refresh = async (token: string) => (await api()).post('/api/auth/refresh').send({ refresh_token: token });
const profileWith = async (authorization: string) => (await api()).get('/api/auth/profile').set('Authorization', authorization);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('refresh tokens: rotation and reuse detection', () => {
  it('rotates: the old token stops working and the new one works', async () => {
    const session = await login(phone());
    const first = await refresh(session.refresh_token);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer' });
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    const rows = await RefreshToken.findAll({ where: { family_id: (await RefreshToken.findOne({ order: [['id', 'DESC']] }))!.family_id } });
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
    expect(rows.filter((r) => r.replaced_by_id !== null)).toHaveLength(2);
  });

  it('revokes the whole family when a rotated token is presented again, with a critical audit row', async () => {
    const session = await login(phone());
    const stolen = session.refresh_token;
    const rotated = await refresh(stolen);
    expect(rotated.status).toBe(200);
    clock.advance(31_000); // past the grace window of two tabs refreshing at once
    const reuse = await refresh(stolen);
    expectProblem(reuse, 401);
    expect(reuse.body.detail).toMatch(/reused/);
    // The legitimate holder's newer token is dead too.
    expectProblem(await refresh(rotated.body.refresh_token), 401);
    const user = await AuthUser.findOne({ where: { uuid: session.user.uuid } });
    expect(await RefreshToken.count({ where: { user_id: user!.id, revoked_at: null } })).toBe(0);
    const alarm = await AuditLog.findOne({ where: { command: 'auth.refresh_reuse', user_id: user!.id } });
    expect(alarm!.severity).toBe('critical');
    expect(alarm!.is_successful).toBe(false);
  });

  it('concurrent refreshes with one token all get the same successor: nobody is logged out, one token stays live', async () => {
    const session = await login(phone());
    const results = await Promise.all(Array.from({ length: 10 }, () => refresh(session.refresh_token)));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    expect(new Set(results.map((r) => r.body.refresh_token)).size).toBe(1);
    const user = await AuthUser.findOne({ where: { uuid: session.user.uuid } });
    expect(await RefreshToken.count({ where: { user_id: user!.id, revoked_at: null } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'auth.refresh_reuse', user_id: user!.id } })).toBe(0);
    // The shared successor works, and the session goes on.
    const next = await refresh(results[0]!.body.refresh_token);
    expect(next.status).toBe(200);
    expect((await profileWith(`Bearer ${next.body.access_token}`)).status).toBe(200);
  });

  it('the grace window is short and ends once the successor is used: later reuse still revokes the family', async () => {
    const late = await login(phone());
    expect((await refresh(late.refresh_token)).status).toBe(200);
    clock.advance(31_000);
    const reuse = await refresh(late.refresh_token);
    expectProblem(reuse, 401);
    expect(reuse.body.detail).toMatch(/reused/);

    const used = await login(phone());
    const first = await refresh(used.refresh_token);
    expect((await refresh(first.body.refresh_token)).status).toBe(200);
    // Within the window, but the successor has been rotated already: this is a copy, not a second tab.
    expectProblem(await refresh(used.refresh_token), 401);
    const user = await AuthUser.findOne({ where: { uuid: used.user.uuid } });
    expect(await RefreshToken.count({ where: { user_id: user!.id, revoked_at: null } })).toBe(0);
  });

  it('refuses unknown and 30-day-old refresh tokens, and bad input', async () => {
    expectProblem(await refresh('not-a-token'), 401);
    const session = await login(phone());
    clock.advance(30 * DAY);
    expectProblem(await refresh(session.refresh_token), 401);
    expectProblem(await (await api()).post('/api/auth/refresh').send({}), 400, 'refresh_token');
    expectProblem(await refresh(''), 400, 'refresh_token');
    expectProblem(await (await api()).post('/api/auth/refresh').send({ refresh_token: 42 }), 400, 'refresh_token');
  });

  it('logout revokes the session, is idempotent, and needs a refresh_token', async () => {
    const session = await login(phone());
    const agent = await api();
    expect((await agent.post('/api/auth/logout').send({ refresh_token: session.refresh_token })).status).toBe(204);
    expect((await agent.post('/api/auth/logout').send({ refresh_token: session.refresh_token })).status).toBe(204);
    expect((await agent.post('/api/auth/logout').send({ refresh_token: 'never-issued' })).status).toBe(204);
    expectProblem(await refresh(session.refresh_token), 401);
    expectProblem(await agent.post('/api/auth/logout').send({}), 400, 'refresh_token');
    const user = await AuthUser.findOne({ where: { uuid: session.user.uuid } });
    expect(await AuditLog.count({ where: { action: 'logout', command: 'auth.logout', user_id: user!.id } })).toBe(1);
  });
});

describe('access tokens', () => {
  it('accepts a valid token and refuses missing, tampered, alg:none, foreign-key, other-alg and expired ones with 401', async () => {
    const user = await buildUser();
    const other = await buildUser();
    const good = await signAccessToken(user.uuid);
    expect((await profileWith(`Bearer ${good}`)).status).toBe(200);

    expectProblem(await (await api()).get('/api/auth/profile'), 401);
    expectProblem(await profileWith('Basic abc'), 401);
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    expectProblem(await profileWith(`Bearer ${header}.${b64({ ...claims, sub: other.uuid })}.${signature}`), 401);
    expectProblem(await profileWith(`Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`), 401);
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('x'.repeat(48)));
    expectProblem(await profileWith(`Bearer ${foreign}`), 401);
    const hs512 = await new SignJWT(claims).setProtectedHeader({ alg: 'HS512' })
      .sign(new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789'));
    expectProblem(await profileWith(`Bearer ${hs512}`), 401);
    const odd = await new SignJWT({ ...claims, sub: 'not-a-uuid' }).setProtectedHeader({ alg: 'HS256' })
      .sign(new TextEncoder().encode('test-secret-test-secret-test-secret-0123456789'));
    expectProblem(await profileWith(`Bearer ${odd}`), 401);

    clock.advance(15 * MINUTE + 1000);
    const expired = await profileWith(`Bearer ${good}`);
    expectProblem(expired, 401);
    expect(expired.body.detail).toMatch(/expired/i);
  });
});
