import { afterAll, describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildInvite, buildPaidEvent, buildUser } from '../support/factories.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { sha256 } from '../../src/lib/crypto.js';
import { AuditLog, EventAttendee, EventInvite, Notification } from '../../src/models/index.js';
import { closeServer, http_, recount, statuses } from './helpers.js';

afterAll(closeServer);

const post = async (path: string, user: { uuid: string }, body: unknown = {}) =>
  (await http_()).post(path).set('Authorization', await bearer(user)).send(body as object);
const get = async (path: string, user: { uuid: string }) => (await http_()).get(path).set('Authorization', await bearer(user));

describe('direct invites', () => {
  it('the host invites a user: default expiry is the sooner of 7 days and the start; the invitee is notified', async () => {
    clock.set(new Date());
    const event = await buildEvent({ start_time: new Date(clock.now().getTime() + 3 * DAY) });
    const invitee = await buildUser({ profile: { name: 'Meera' } });
    const res = await post(`/api/events/${event.uuid}/invites`, event.host, { invited_user: invitee.uuid, message: 'Come!' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      invite_type: 'direct', status: 'pending', message: 'Come!', invited_user: { uuid: invitee.uuid, name: 'Meera' },
      expires_at: event.start_time.toISOString(), event: { uuid: event.uuid },
    });
    expect(await Notification.count({ where: { recipient_id: invitee.id, type: 'event_invite' } })).toBe(1);
    expect(await AuditLog.count({ where: { command: 'joining.invite.create', object_uuid: res.body.uuid } })).toBe(1);
    const far = await buildEvent({ start_time: new Date(clock.now().getTime() + 30 * DAY) });
    const week = await post(`/api/events/${far.uuid}/invites`, far.host, { invited_user: invitee.uuid });
    expect(week.body.expires_at).toBe(new Date(clock.now().getTime() + 7 * DAY).toISOString());
  });

  it('one invite per user per event (409), even when sent at once', async () => {
    const event = await buildEvent();
    const invitee = await buildUser();
    const results = await Promise.all(Array.from({ length: 10 }, () =>
      post(`/api/events/${event.uuid}/invites`, event.host, { invited_user: invitee.uuid })));
    expect(statuses(results)).toEqual({ 201: 1, 409: 9 });
    expect(await EventInvite.count({ where: { event_id: event.id, invited_user_id: invitee.id } })).toBe(1);
  });

  it('only the host or staff invites (403); bad input is a 400 naming the field, nothing written', async () => {
    const event = await buildEvent();
    const invitee = await buildUser();
    expect((await post(`/api/events/${event.uuid}/invites`, invitee, { invited_user: invitee.uuid })).status).toBe(403);
    const cases: [unknown, string][] = [
      [{}, 'invited_user'], [{ invited_user: 'nope' }, 'invited_user'], [{ invited_user: event.host.uuid }, 'invited_user'],
      [{ invited_user: '00000000-0000-4000-8000-000000000000' }, 'invited_user'],
      [{ invited_user: invitee.uuid, expires_at: 'tomorrow' }, 'expires_at'],
      [{ invited_user: invitee.uuid, expires_at: new Date(clock.now().getTime() - HOUR).toISOString() }, 'expires_at'],
      [{ invited_user: invitee.uuid, expires_at: new Date(event.start_time.getTime() + HOUR).toISOString() }, 'expires_at'],
      [{ invited_user: invitee.uuid, message: 'x'.repeat(1001) }, 'message'],
    ];
    for (const [body, field] of cases) {
      const res = await post(`/api/events/${event.uuid}/invites`, event.host, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    expect(await EventInvite.count({ where: { event_id: event.id } })).toBe(0);
  });

  it('accept on a free event: attendee going, going_count += 1, host notified', async () => {
    const event = await buildEvent({ max_capacity: 2 });
    const invitee = await buildUser();
    const invite = await buildInvite({ event, invitee });
    const res = await post(`/api/invites/${invite.uuid}/accept`, invitee);
    expect(res.status).toBe(200);
    expect(res.body.invite.status).toBe('accepted');
    expect(res.body.attendee).toMatchObject({ seats: 1, status: 'going', user: { uuid: invitee.uuid } });
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1 });
    expect(await Notification.count({ where: { recipient_id: event.host_id, type: 'event_invite' } })).toBe(1);
    expect((await post(`/api/invites/${invite.uuid}/accept`, invitee)).status).toBe(409);
  });

  it('accept on a paid event holds the seat; a full event is 409 and the invite stays pending', async () => {
    const event = await buildPaidEvent({ max_capacity: 1 });
    const [a, b] = [await buildUser(), await buildUser()];
    const [ia, ib] = [await buildInvite({ event, invitee: a }), await buildInvite({ event, invitee: b })];
    const ok = await post(`/api/invites/${ia.uuid}/accept`, a);
    expect(ok.status).toBe(200);
    expect(ok.body.reservation).toMatchObject({ seats_reserved: 1 });
    expect(ok.body.attendee).toBeNull();
    const full = await post(`/api/invites/${ib.uuid}/accept`, b);
    expect(full.status).toBe(409);
    expect((await ib.reload()).status).toBe('pending');
    expect(await recount(event.id)).toMatchObject({ held: 1, going_count: 0 });
  });

  it('an expired invite cannot be accepted (409) before any sweeper marks it, and lists as expired', async () => {
    clock.set(new Date());
    const event = await buildEvent();
    const invitee = await buildUser();
    const invite = await buildInvite({ event, invitee, expires_at: new Date(clock.now().getTime() + HOUR) });
    clock.advance(HOUR);
    const res = await post(`/api/invites/${invite.uuid}/accept`, invitee);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('Invite has expired');
    expect((await invite.reload()).status).toBe('pending');
    expect(await EventAttendee.count({ where: { event_id: event.id } })).toBe(0);
    const mine = await get('/api/invites?status=expired', invitee);
    expect(mine.body.results.map((i: { uuid: string; status: string }) => [i.uuid, i.status])).toEqual([[invite.uuid, 'expired']]);
    expect((await get('/api/invites?status=pending', invitee)).body.results).toEqual([]);
  });

  it("others' invites are 404; decline works once", async () => {
    const invitee = await buildUser();
    const invite = await buildInvite({ invitee });
    const stranger = await buildUser();
    expect((await post(`/api/invites/${invite.uuid}/accept`, stranger)).status).toBe(404);
    expect((await post(`/api/invites/${invite.uuid}/decline`, stranger)).status).toBe(404);
    expect((await post('/api/invites/xyz/accept', invitee)).status).toBe(404);
    const res = await post(`/api/invites/${invite.uuid}/decline`, invitee);
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('declined');
    expect((await post(`/api/invites/${invite.uuid}/accept`, invitee)).status).toBe(409);
  });

  it('GET /invites lists only mine, newest first, with keyset pages; bad query 400', async () => {
    const me = await buildUser();
    const a = await buildInvite({ invitee: me });
    const b = await buildInvite({ invitee: me });
    await buildInvite();
    const first = await get('/api/invites?page_size=1', me);
    expect(first.body.results.map((i: { uuid: string }) => i.uuid)).toEqual([b.uuid]);
    const second = await get(`/api/invites?page_size=1&cursor=${first.body.next}`, me);
    expect(second.body.results.map((i: { uuid: string }) => i.uuid)).toEqual([a.uuid]);
    expect(second.body.next).toBeNull();
    expect((await get('/api/invites?status=nope', me)).status).toBe(400);
  });
});

describe('share links', () => {
  it('host creates a link (token shown once, stored hashed); many users redeem it, each getting their own invite', async () => {
    const event = await buildEvent({ max_capacity: 3 });
    const res = await post(`/api/events/${event.uuid}/invites/share-link`, event.host, {});
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ invite_type: 'share_link', status: 'pending', invited_user: null });
    expect(res.body.url).toContain(`#token=${res.body.token}`);
    const link = await EventInvite.findOne({ where: { uuid: res.body.uuid }, rejectOnEmpty: true });
    expect(link.token_hash).toBe(sha256(res.body.token));
    expect(link.token_hash).not.toContain(res.body.token);

    const users = await Promise.all(Array.from({ length: 5 }, () => buildUser()));
    const redeemed = await Promise.all(users.map((u) => post('/api/invites/share-link/accept', u, { token: res.body.token })));
    expect(statuses(redeemed)).toEqual({ 200: 3, 409: 2 });
    expect(await recount(event.id)).toMatchObject({ going_count: 3, going: 3 });
    // Refused redemptions rolled back with their invite row.
    expect(await EventInvite.count({ where: { event_id: event.id, invite_type: 'direct' } })).toBe(3);
    const ok = redeemed.find((r) => r.status === 200)!;
    expect(ok.body.invite).toMatchObject({ invite_type: 'direct', status: 'accepted' });
  });

  it('a user redeeming twice gets one invite; an unknown token is 404; bad body 400', async () => {
    const event = await buildEvent();
    const { body } = await post(`/api/events/${event.uuid}/invites/share-link`, event.host);
    const user = await buildUser();
    const twice = await Promise.all([1, 2].map(() => post('/api/invites/share-link/accept', user, { token: body.token })));
    expect(statuses(twice)).toEqual({ 200: 1, 409: 1 });
    expect(await EventInvite.count({ where: { event_id: event.id, invited_user_id: user.id } })).toBe(1);
    expect((await post('/api/invites/share-link/accept', user, { token: 'x'.repeat(43) })).status).toBe(404);
    const bad = await post('/api/invites/share-link/accept', user, {});
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('token');
  });

  it('revoked or expired links cannot be redeemed (409); the gender rule and host rule apply', async () => {
    clock.set(new Date());
    const event = await buildEvent({ allowed_genders: 'female' });
    const link = await post(`/api/events/${event.uuid}/invites/share-link`, event.host, {
      expires_at: new Date(clock.now().getTime() + HOUR).toISOString(),
    });
    expect((await post('/api/invites/share-link/accept', await buildUser({ profile: { gender: 'male' } }), { token: link.body.token })).status).toBe(403);
    expect((await post('/api/invites/share-link/accept', event.host, { token: link.body.token })).status).toBe(403);
    clock.advance(HOUR);
    expect((await post('/api/invites/share-link/accept', await buildUser({ profile: { gender: 'female' } }), { token: link.body.token })).status).toBe(409);

    clock.reset();
    const other = await buildEvent();
    const live = await post(`/api/events/${other.uuid}/invites/share-link`, other.host);
    expect((await post(`/api/events/${other.uuid}/invites/${live.body.uuid}/revoke`, await buildUser())).status).toBe(403);
    const revoked = await post(`/api/events/${other.uuid}/invites/${live.body.uuid}/revoke`, other.host);
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe('expired');
    expect((await post('/api/invites/share-link/accept', await buildUser(), { token: live.body.token })).status).toBe(409);
    expect(await AuditLog.count({ where: { command: 'joining.share_link.revoke', object_uuid: live.body.uuid } })).toBe(1);
  });

  it('a pending direct invite is used when its invitee redeems a link; an attendee is refused', async () => {
    const event = await buildEvent();
    const invitee = await buildUser();
    const invite = await buildInvite({ event, invitee });
    const { body } = await post(`/api/events/${event.uuid}/invites/share-link`, event.host);
    const res = await post('/api/invites/share-link/accept', invitee, { token: body.token });
    expect(res.status).toBe(200);
    expect(res.body.invite.uuid).toBe(invite.uuid);
    const { user } = await buildAttendee({ event });
    expect((await post('/api/invites/share-link/accept', user, { token: body.token })).status).toBe(409);
  });

  it('only the host creates links; bad expires_at is 400', async () => {
    const event = await buildEvent();
    expect((await post(`/api/events/${event.uuid}/invites/share-link`, await buildUser())).status).toBe(403);
    const bad = await post(`/api/events/${event.uuid}/invites/share-link`, event.host, { expires_at: 5 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('expires_at');
    expect(await EventInvite.count({ where: { event_id: event.id } })).toBe(0);
  });
});
