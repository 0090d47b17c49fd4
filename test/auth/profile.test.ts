import { beforeAll, describe, expect, it } from 'vitest';
import { api, bearer } from '../support/app.js';
import { buildUser, interest } from '../support/factories.js';
import { clock } from '../../src/lib/clock.js';
import { AuditLog, EventInterest, UserProfile, UserProfileInterest, type AuthUser } from '../../src/models/index.js';
import { expectProblem } from './helpers.js';

const valid = () => ({
  name: 'Zoë D’Souza-Iyer', gender: 'female', profile_pictures: ['https://img.example/1.jpg', 'http://img.example/2.png'],
  event_interests: ['music', 'tech'], bio: 'Loves live music.', location: 'Pune', birth_date: '1995-04-12',
});

async function freshUser(): Promise<AuthUser> {
  // A just-verified account: empty profile, as verify-otp leaves it.
  const user = await buildUser({ profile: { name: null, gender: null, profile_pictures: [], is_verified: false } });
  return user;
}

const complete = async (user: AuthUser, body: unknown) =>
  (await api()).post('/api/auth/complete-profile').set('Authorization', await bearer(user)).send(body as object);
const patch = async (user: AuthUser, body: unknown) =>
  (await api()).patch('/api/auth/profile').set('Authorization', await bearer(user)).send(body as object);
const stateOf = async (user: AuthUser) => {
  const p = await UserProfile.findOne({ where: { user_id: user.id } });
  const interests = await UserProfileInterest.count({ where: { profile_id: p!.id } });
  return { ...p!.get({ plain: true }), updated_at: undefined, interests };
};

describe('profiles', () => {
  let retired: EventInterest;
  beforeAll(async () => {
    for (const slug of ['music', 'tech', 'art', 'film', 'books', 'dance']) await interest(slug);
    retired = await EventInterest.create({ name: 'Retired', slug: 'retired', is_active: false });
  });

  it('completes a profile (interests by slug or uuid), marks it verified and audits old/new values', async () => {
    const user = await freshUser();
    const tech = await EventInterest.findOne({ where: { slug: 'tech' } });
    const res = await complete(user, { ...valid(), event_interests: ['music', tech!.uuid] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: 'Zoë D’Souza-Iyer', gender: 'female', bio: 'Loves live music.', location: 'Pune', birth_date: '1995-04-12',
      is_verified: true, profile_complete: true, user: { uuid: user.uuid },
    });
    expect(res.body.event_interests.map((i: { slug: string }) => i.slug).sort()).toEqual(['music', 'tech']);
    const row = await AuditLog.findOne({ where: { action: 'profile_update', user_id: user.id } });
    expect(row!.old_values).toMatchObject({ name: null, is_verified: false, event_interests: [] });
    expect(row!.new_values).toMatchObject({ name: 'Zoë D’Souza-Iyer', is_verified: true, event_interests: ['music', 'tech'] });
  });

  it('accepts names in any script', async () => {
    for (const name of ['राहुल शर्मा', 'José Ñúñez', 'O’Brien', 'Li']) {
      expect((await complete(await freshUser(), { ...valid(), name })).status, name).toBe(200);
    }
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['name', { name: 'A' }], ['name', { name: 'x'.repeat(101) }], ['name', { name: 'R2D2' }], ['name', { name: 'Bob!' }],
    ['name', { name: '' }], ['name', { name: undefined }], ['name', { name: 42 }],
    ['gender', { gender: 'robot' }], ['gender', { gender: undefined }],
    ['profile_pictures', { profile_pictures: [] }], ['profile_pictures', { profile_pictures: Array(7).fill('https://a.b/c.jpg') }],
    ['profile_pictures', { profile_pictures: ['ftp://a.b/c.jpg'] }], ['profile_pictures', { profile_pictures: ['javascript:alert(1)'] }],
    ['profile_pictures', { profile_pictures: ['not a url'] }], ['profile_pictures', { profile_pictures: 'https://a.b/c.jpg' }],
    ['event_interests', { event_interests: [] }], ['event_interests', { event_interests: ['music', 'tech', 'art', 'film', 'books', 'dance'] }],
    ['event_interests', { event_interests: ['no-such-interest'] }], ['event_interests', { event_interests: ['retired'] }],
    ['event_interests', { event_interests: ['music', 'music'] }], ['event_interests', { event_interests: ['00000000-0000-4000-8000-000000000000'] }],
    ['bio', { bio: 'b'.repeat(501) }], ['bio', { bio: 7 }], ['bio', { bio: 'a\u0000b' }],
    ['location', { location: 'l'.repeat(101) }], ['location', { location: 'Pu\u0000ne' }],
    ['profile_pictures', { profile_pictures: ['https://a.b/\u0000.jpg'] }], ['name', { name: 'Ab\u0000c' }],
    ['birth_date', { birth_date: '2099-01-01' }], ['birth_date', { birth_date: '12/04/1995' }], ['birth_date', { birth_date: '1995-02-30' }],
    ['birth_date', { birth_date: 'yesterday' }],
  ];

  it.each(invalid)('refuses an invalid %s on complete-profile with a 400 naming it, changing nothing', async (field, override) => {
    const user = await freshUser();
    const before = await stateOf(user);
    const audits = await AuditLog.count({ where: { user_id: user.id } });
    expectProblem(await complete(user, { ...valid(), ...override }), 400, field);
    expect(await stateOf(user)).toEqual(before);
    expect(await AuditLog.count({ where: { user_id: user.id } })).toBe(audits);
  });

  it('requires the birth date to be at least 13 years ago by the clock', async () => {
    clock.set('2026-06-15T12:00:00Z');
    expectProblem(await complete(await freshUser(), { ...valid(), birth_date: '2013-06-16' }), 400, 'birth_date');
    expectProblem(await complete(await freshUser(), { ...valid(), birth_date: '2026-06-15' }), 400, 'birth_date');
    expect((await complete(await freshUser(), { ...valid(), birth_date: '2013-06-15' })).status).toBe(200);
  });

  it('refuses unknown fields and a retired interest by uuid', async () => {
    const user = await freshUser();
    expectProblem(await complete(user, { ...valid(), is_verified: false }), 400);
    expectProblem(await complete(user, { ...valid(), event_interests: [retired.uuid] }), 400, 'event_interests');
  });

  it('patches only the fields sent, validates each, and clears optional ones with null', async () => {
    const user = await freshUser();
    expect((await complete(user, valid())).status).toBe(200);
    const res = await patch(user, { bio: null, location: 'Mumbai', event_interests: ['art'] });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ name: 'Zoë D’Souza-Iyer', bio: null, location: 'Mumbai', profile_complete: true });
    expect(res.body.event_interests.map((i: { slug: string }) => i.slug)).toEqual(['art']);
    const row = await AuditLog.findOne({ where: { command: 'auth.update_profile', user_id: user.id } });
    expect(row!.old_values).toEqual({ bio: 'Loves live music.', location: 'Pune', event_interests: ['music', 'tech'] });
    expect(row!.new_values).toEqual({ bio: null, location: 'Mumbai', event_interests: ['art'] });

    const before = await stateOf(user);
    for (const [field, override] of invalid.filter(([, o]) => Object.values(o)[0] !== undefined)) {
      expectProblem(await patch(user, override), 400, field);
    }
    expectProblem(await patch(user, { name: null }), 400, 'name');
    expectProblem(await patch(user, {}), 400);
    expect(await stateOf(user)).toEqual(before);
  });

  it('applies concurrent edits one after the other: one interest set wins whole, every edit audited', async () => {
    const user = await freshUser();
    expect((await complete(user, valid())).status).toBe(200);
    const sets = [['music'], ['tech', 'art'], ['film', 'books', 'dance'], ['art', 'music'], ['dance']];
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => patch(user, { event_interests: sets[i % sets.length] })));
    expect(results.map((r) => r.status)).toEqual(Array(10).fill(200));
    const profile = await UserProfile.findOne({ where: { user_id: user.id }, include: ['interests'] });
    const final = profile!.interests!.map((i) => i.slug).sort();
    expect(sets.map((s) => [...s].sort())).toContainEqual(final);
    expect(await AuditLog.count({ where: { command: 'auth.update_profile', user_id: user.id } })).toBe(10);
  });

  it('answers 404 for an account that has no profile row yet', async () => {
    const user = await buildUser({ profile: false });
    expectProblem(await (await api()).get('/api/auth/profile').set('Authorization', await bearer(user)), 404);
    // Completing creates it.
    expect((await complete(user, valid())).status).toBe(200);
  });

  it('reads my profile; GET and PATCH need a token', async () => {
    const user = await freshUser();
    const mine = await (await api()).get('/api/auth/profile').set('Authorization', await bearer(user));
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ user: { uuid: user.uuid }, profile_complete: false, event_interests: [] });
    expect(JSON.stringify(mine.body)).not.toMatch(/"id"|user_id/);
    expectProblem(await (await api()).get('/api/auth/profile'), 401);
    expectProblem(await (await api()).patch('/api/auth/profile').send({ bio: 'x' }), 401);
    expectProblem(await (await api()).post('/api/auth/complete-profile').send(valid()), 401);
  });
});
