import { describe, expect, it } from 'vitest';
import { api } from '../support/app.js';
import { buildUser, interest, phone } from '../support/factories.js';
import { AuditLog, AuthUser, RefreshToken, UserPhoneOtp, UserProfile } from '../../src/models/index.js';
import { expectProblem, lastCode, login, newIp, sentTo, signup, verify } from './helpers.js';

describe('phone OTP auth: the full flow over HTTP', () => {
  it('signs up, verifies, completes the profile, refreshes and logs out', async () => {
    const agent = await api();
    const number = phone();
    await interest('music');
    await interest('tech');

    const sent = await signup(number);
    expect(sent.status).toBe(200);
    expect(sent.body).toEqual({ expires_in: 600 });
    const code = lastCode(number);

    const otp = await UserPhoneOtp.findOne({ where: { phone_number: number } });
    expect(otp!.status).toBe('pending');
    expect(otp!.otp_type).toBe('signup');
    expect(otp!.otp_code).not.toContain(code); // only an HMAC is stored
    expect(otp!.otp_code).toMatch(/^[0-9a-f]{64}$/);

    const verified = await verify(number, code);
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({
      access_token: expect.any(String), refresh_token: expect.any(String), token_type: 'Bearer', expires_in: 900,
      user: { uuid: expect.any(String), phone_number: number, name: null }, profile_complete: false,
    });
    expect(JSON.stringify(verified.body)).not.toMatch(/"id"/);
    const user = await AuthUser.findOne({ where: { username: number } });
    expect(user!.uuid).toBe(verified.body.user.uuid);
    expect(user!.last_login).not.toBeNull();
    expect((await UserProfile.findOne({ where: { user_id: user!.id } }))!.phone_number).toBe(number);
    expect((await otp!.reload()).status).toBe('verified');
    const loginRow = await AuditLog.findOne({ where: { action: 'login', user_id: user!.id, is_successful: true } });
    expect(loginRow!.payload).toMatchObject({ first_login: true, otp_type: 'signup' });

    const auth = `Bearer ${verified.body.access_token}`;
    const completed = await agent.post('/api/auth/complete-profile').set('Authorization', auth).send({
      name: 'Asha Rao', gender: 'female', profile_pictures: ['https://img.example/a.jpg'], event_interests: ['music', 'tech'],
    });
    expect(completed.status).toBe(200);
    expect(completed.body).toMatchObject({ name: 'Asha Rao', profile_complete: true, is_verified: true });

    const profile = await agent.get('/api/auth/profile').set('Authorization', auth);
    expect(profile.status).toBe(200);
    expect(profile.body.event_interests.map((i: { slug: string }) => i.slug).sort()).toEqual(['music', 'tech']);

    const refreshed = await agent.post('/api/auth/refresh').send({ refresh_token: verified.body.refresh_token });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.refresh_token).not.toBe(verified.body.refresh_token);
    const me = await agent.get('/api/auth/profile').set('Authorization', `Bearer ${refreshed.body.access_token}`);
    expect(me.status).toBe(200);

    const out = await agent.post('/api/auth/logout').send({ refresh_token: refreshed.body.refresh_token });
    expect(out.status).toBe(204);
    expectProblem(await agent.post('/api/auth/refresh').send({ refresh_token: refreshed.body.refresh_token }), 401);
    expect(await RefreshToken.count({ where: { user_id: user!.id, revoked_at: null } })).toBe(0);
    expect(await AuditLog.count({ where: { action: 'logout', user_id: user!.id } })).toBe(1);

    // A second login reports the now-complete profile and does not create a second account.
    const again = await login(number);
    expect(again.profile_complete).toBe(true);
    expect(await AuthUser.count({ where: { username: number } })).toBe(1);
    const logins = await AuditLog.findAll({ where: { action: 'login', user_id: user!.id, is_successful: true }, order: [['id', 'ASC']] });
    expect(logins.map((l) => l.payload.first_login)).toEqual([true, false]);
  });

  it('answers new and existing numbers the same way and marks the code as a login for the latter', async () => {
    const existing = await buildUser();
    const fresh = phone();
    const a = await signup(existing.username);
    const b = await signup(fresh);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(a.body).toEqual(b.body);
    expect((await UserPhoneOtp.findOne({ where: { phone_number: existing.username } }))!.otp_type).toBe('login');
  });

  it('keeps one live code per phone: a new signup expires the previous code', async () => {
    const number = phone();
    await signup(number);
    const first = lastCode(number);
    await signup(number);
    const second = lastCode(number);
    expect(await UserPhoneOtp.count({ where: { phone_number: number, status: 'pending' } })).toBe(1);
    expect(await UserPhoneOtp.count({ where: { phone_number: number, status: 'expired' } })).toBe(1);
    if (first !== second) expectProblem(await verify(number, first), 400, 'otp_code');
    expect((await verify(number, second)).status).toBe(200);
  });

  it('serializes concurrent signups for one phone: one pending code, no 5xx', async () => {
    const number = phone();
    const results = await Promise.all(Array.from({ length: 8 }, () => signup(number)));
    const statuses = results.map((r) => r.status);
    expect(statuses.every((s) => s === 200 || s === 429), JSON.stringify(statuses)).toBe(true);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5); // the hourly cap, exactly
    expect(await UserPhoneOtp.count({ where: { phone_number: number, status: 'pending' } })).toBe(1);
    expect(sentTo(number)).toBe(5);
    // The pending code is the newest one sent.
    expect((await verify(number, lastCode(number))).status).toBe(200);
  });

  it('rejects anything but an E.164 number on signup and verify, naming phone_number', async () => {
    const before = await UserPhoneOtp.count();
    for (const bad of ['9876543210', '+0123456789', '+91 98765 43210', '+91-9876543210', '+1234', '+1234567890123456', 12345678, '']) {
      expectProblem(await (await api()).post('/api/auth/signup').set('X-Forwarded-For', newIp()).send({ phone_number: bad }), 400, 'phone_number');
    }
    expectProblem(await (await api()).post('/api/auth/signup').send({}), 400, 'phone_number');
    expectProblem(await verify('98765', '1234'), 400, 'phone_number');
    for (const bad of ['123', '12345', 'abcd', '']) expectProblem(await verify(phone(), bad), 400, 'otp_code');
    expectProblem(await (await api()).post('/api/auth/verify-otp').send({ phone_number: phone(), otp_code: 1234 }), 400, 'otp_code');
    expect(await UserPhoneOtp.count()).toBe(before);
  });

  it('refuses a code for a number that has none pending', async () => {
    expectProblem(await verify(phone(), '1234'), 400, 'otp_code');
  });

  it('documents the auth endpoints in the OpenAPI document', async () => {
    const doc = (await (await api()).get('/api/openapi.json')).body;
    for (const path of ['/auth/signup', '/auth/verify-otp', '/auth/refresh', '/auth/logout', '/auth/complete-profile', '/auth/profile']) {
      expect(doc.paths[path], path).toBeDefined();
    }
    expect(Object.keys(doc.paths['/auth/signup'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '429', '503']));
    expect(Object.keys(doc.paths['/auth/logout'].post.responses)).toEqual(expect.arrayContaining(['204', '400']));
    expect(doc.paths['/auth/logout'].post.requestBody.content['application/json'].schema).toBeDefined();
    expect(Object.keys(doc.paths['/auth/verify-otp'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '403', '429']));
    expect(doc.paths['/auth/profile'].patch).toBeDefined();
  });
});
