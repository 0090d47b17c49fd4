import { describe, expect, it } from 'vitest';
import type { ActionContext, ActionRequest } from 'adminjs';
import { api } from '../support/app.js';
import { buildStaff, buildUser, phone } from '../support/factories.js';
import { createContext, type Actor } from '../../src/context.js';
import { deactivateUser, reactivateUser } from '../../src/modules/auth/commands/index.js';
import { AuditLog, AuthUser, RefreshToken } from '../../src/models/index.js';
import { userActions } from '../../resources/actions/users.js';
import { expectProblem, lastCode, login, signup, verify } from './helpers.js';

const actorOf = (u: AuthUser): Actor => ({ id: u.id, uuid: u.uuid, is_staff: u.is_staff, is_superuser: u.is_superuser });
const adminCtx = (u: AuthUser) => createContext({ source: 'admin', actor: actorOf(u) });

describe('deactivated accounts', () => {
  it('are logged out everywhere and cannot log in, refresh or call the API until reactivated', async () => {
    const number = phone();
    const session = await login(number);
    const staff = await buildStaff();
    await deactivateUser(adminCtx(staff), { userUuid: session.user.uuid });

    const user = await AuthUser.findOne({ where: { username: number } });
    expect(user!.is_active).toBe(false);
    expect(await RefreshToken.count({ where: { user_id: user!.id, revoked_at: null } })).toBe(0);
    const row = await AuditLog.findOne({ where: { command: 'auth.deactivate_user', user_id: user!.id } });
    expect(row).toMatchObject({ severity: 'high', actor_user_id: staff.id, old_values: { is_active: true }, new_values: { is_active: false } });

    expectProblem(await (await api()).post('/api/auth/refresh').send({ refresh_token: session.refresh_token }), 401);
    expectProblem(await (await api()).get('/api/auth/profile').set('Authorization', `Bearer ${session.access_token}`), 403);
    expect((await signup(number)).status).toBe(200); // same answer as for anyone
    const refused = await verify(number, lastCode(number));
    expectProblem(refused, 403);
    expect(await AuditLog.count({ where: { action: 'login', user_id: user!.id, is_successful: false } })).toBe(1);

    await reactivateUser(adminCtx(staff), { userUuid: session.user.uuid });
    const back = await login(number);
    expect(back.user.uuid).toBe(session.user.uuid);
  });

  it('cannot refresh even with a token that was never revoked', async () => {
    const session = await login(phone());
    await AuthUser.update({ is_active: false }, { where: { uuid: session.user.uuid } });
    expectProblem(await (await api()).post('/api/auth/refresh').send({ refresh_token: session.refresh_token }), 403);
  });

  it('only staff change account status; not their own, and superusers only by a superuser', async () => {
    const target = await buildUser();
    const staff = await buildStaff();
    const root = await buildStaff({ is_superuser: true });
    await expect(deactivateUser(adminCtx(target), { userUuid: (await buildUser()).uuid })).rejects.toMatchObject({ status: 403 });
    await expect(deactivateUser(adminCtx(staff), { userUuid: staff.uuid })).rejects.toMatchObject({ status: 409 });
    await expect(deactivateUser(adminCtx(staff), { userUuid: root.uuid })).rejects.toMatchObject({ status: 403 });
    await expect(deactivateUser(adminCtx(staff), { userUuid: 'nope' })).rejects.toMatchObject({ status: 404 });
    await expect(reactivateUser(adminCtx(staff), { userUuid: target.uuid })).rejects.toMatchObject({ status: 409 });
    expect((await target.reload()).is_active).toBe(true);
  });

  it('is reachable from the AdminJS actions, which call the same commands', async () => {
    const target = await buildUser();
    const staff = await buildStaff();
    const record = { params: { uuid: target.uuid, is_active: true }, id: () => String(target.id), toJSON: () => ({}) };
    const context = {
      record, currentAdmin: { ...actorOf(staff), email: staff.email }, resource: { findOne: async () => record },
    } as unknown as ActionContext;
    const post = { method: 'post', payload: {} } as unknown as ActionRequest;
    const get = { method: 'get' } as unknown as ActionRequest;

    await userActions.deactivate!.handler(get, {}, context);
    expect((await target.reload()).is_active).toBe(true); // a GET only renders the confirmation
    const done = await userActions.deactivate!.handler(post, {}, context);
    expect(done.notice).toMatchObject({ type: 'success' });
    expect((await target.reload()).is_active).toBe(false);
    const again = await userActions.deactivate!.handler(post, {}, context);
    expect(again.notice).toMatchObject({ type: 'error' });
    await userActions.reactivate!.handler(post, {}, context);
    expect((await target.reload()).is_active).toBe(true);
  });
});
