import { Op } from 'sequelize';
import { beforeAll, describe, expect, it } from 'vitest';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, AuthUser, StaffReauth } from '../../src/models/index.js';
import { REAUTH_MINUTES } from '../../src/admin/reauth.js';
import { buildUser } from '../support/factories.js';
import { SUPERUSER, browserAgent, login, superuserAgent, type Agent } from './support.js';

/**
 * Changing who is staff (is_staff, is_superuser) asks the editing superuser's own password again
 * (src/admin/reauth.ts, through the account commands' confirmRoleChange); other edits do not.
 */
const edit = (agent: Agent, id: number, data: Record<string, string>) =>
  agent.post(`/admin/api/resources/auth_user/records/${id}/edit`).type('form').send(data);

let agent: Agent;
let root: AuthUser;
beforeAll(async () => {
  agent = await superuserAgent();
  root = (await AuthUser.findOne({ where: { email: SUPERUSER.email } }))!;
});

const proofsOf = () => AuditLog.findAll({ where: { command: 'admin.reauth', actor_user_id: root.id }, order: [['id', 'ASC']] });

describe('panel: staff role changes behind re-authentication', () => {
  it('without or with a wrong password: a form error on the password field, the account unchanged', async () => {
    const user = await buildUser({ first_name: 'Plain' });
    const before = JSON.stringify((await AuthUser.findByPk(user.id))!.toJSON());
    const missing = await edit(agent, user.id, { is_staff: 'true', first_name: 'Changed' });
    expect(missing.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/Confirm your password to change staff roles/) });
    expect(missing.body.record.errors.reauth_password.message).toMatch(/Confirm your password/);
    const wrong = await edit(agent, user.id, { is_superuser: 'true', reauth_password: 'not-my-password' });
    expect(wrong.body.notice.type).toBe('error');
    expect(wrong.body.record.errors.reauth_password.message).toMatch(/not correct/);
    expect(JSON.stringify((await AuthUser.findByPk(user.id))!.toJSON())).toBe(before);
    expect(await StaffReauth.count({ where: { user_id: root.id } })).toBe(0);
    const refusals = await proofsOf();
    expect(refusals.map((a) => [a.is_successful, (a.payload as { purpose?: string }).purpose])).toEqual([
      [false, 'change staff roles'], [false, 'change staff roles'],
    ]);
    expect(JSON.stringify(wrong.body)).not.toContain('not-my-password');
    expect(JSON.stringify(refusals.map((r) => r.toJSON()))).not.toContain('not-my-password');
  });

  it('edits that leave the roles alone do not ask, even when the form posts the roles back unchanged', async () => {
    const user = await buildUser({ first_name: 'Plain' });
    const res = await edit(agent, user.id, { first_name: 'Renamed', is_staff: 'false', is_superuser: 'false' });
    expect(res.body.notice.type, JSON.stringify(res.body.record?.errors)).toBe('success');
    expect((await user.reload()).first_name).toBe('Renamed');
  });

  it('with the right password: changed, audited (never the password), and a proof that expires', async () => {
    const user = await buildUser();
    const before = (await proofsOf()).length;
    const ok = await edit(agent, user.id, { is_staff: 'true', reauth_password: SUPERUSER.password });
    expect(ok.body.notice.type, JSON.stringify(ok.body.record?.errors)).toBe('success');
    expect((await user.reload()).is_staff).toBe(true);
    expect(ok.text).not.toContain(SUPERUSER.password);
    expect(ok.text).not.toContain('reauth_password');
    const change = (await AuditLog.findOne({ where: { command: 'auth.staff_update_account', object_id: user.id } }))!;
    expect(change).toMatchObject({ severity: 'high', old_values: { is_staff: false }, new_values: { is_staff: true } });
    const proofs = (await proofsOf()).slice(before);
    expect(proofs.map((a) => a.is_successful)).toEqual([true]);
    expect(await StaffReauth.count({ where: { user_id: root.id, expires_at: { [Op.gt]: clock.now() } } })).toBe(1);

    // Within the window: no password needed.
    clock.set(new Date(clock.now().getTime() + (REAUTH_MINUTES - 1) * MINUTE));
    expect((await edit(agent, user.id, { is_staff: 'false' })).body.notice.type).toBe('success');
    expect((await user.reload()).is_staff).toBe(false);

    // Past it: asked again, nothing changes.
    clock.set(new Date(clock.now().getTime() + 2 * MINUTE));
    const expired = await edit(agent, user.id, { is_staff: 'true' });
    expect(expired.body.record.errors.reauth_password.message).toMatch(/Confirm your password/);
    expect((await user.reload()).is_staff).toBe(false);

    const rows = await AuditLog.findAll({ where: { [Op.or]: [{ object_id: user.id }, { actor_user_id: root.id }] } });
    expect(JSON.stringify(rows.map((r) => r.toJSON()))).not.toContain(SUPERUSER.password);
  });

  it('creating a staff account asks too; a plain account does not', async () => {
    const count = await AuthUser.count();
    // A new panel session: no proof from the tests above.
    const fresh = await browserAgent();
    expect((await login(fresh, SUPERUSER.email, SUPERUSER.password)).status).toBe(302);
    const refused = await fresh.post('/admin/api/resources/auth_user/actions/new').type('form').send({ username: '+915555555501', is_staff: 'true' });
    expect(refused.body.record.errors.reauth_password).toBeDefined();
    expect(await AuthUser.count()).toBe(count);
    const plain = await fresh.post('/admin/api/resources/auth_user/actions/new').type('form').send({ username: '+915555555502' });
    expect(plain.body.notice.type).toBe('success');
    const staff = await fresh.post('/admin/api/resources/auth_user/actions/new').type('form')
      .send({ username: '+915555555503', is_staff: 'true', reauth_password: SUPERUSER.password });
    expect(staff.body.notice.type, JSON.stringify(staff.body.record?.errors)).toBe('success');
    expect((await AuthUser.findOne({ where: { username: '+915555555503' } }))!.is_staff).toBe(true);
  });
});
