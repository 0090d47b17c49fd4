import { QueryTypes } from 'sequelize';
import { beforeAll, describe, expect, it } from 'vitest';
import { sequelize } from '../../src/db/connection.js';
import { hashPassword, verifyPassword } from '../../src/lib/password.js';
import { AuditLog, AuthUser } from '../../src/models/index.js';
import { buildUser } from '../support/factories.js';
import { SUPERUSER, staffAgent, superuserAgent, type Agent } from './support.js';

/**
 * Staff cannot take over accounts: only a superuser changes an account's phone (username), email
 * or password, or touches a superuser; and no panel answer ever carries a password or its hash.
 */
const accountRow = async (id: number) =>
  JSON.stringify(await sequelize().query('select * from auth_user where id = :id', { replacements: { id }, type: QueryTypes.SELECT }));

let staff: { agent: Agent; staff: AuthUser };
let superuser: Agent;
beforeAll(async () => {
  superuser = await superuserAgent();
  staff = await staffAgent();
});

describe('staff cannot take over accounts', () => {
  it.each([
    ['username', { username: '+919999999999' }],
    ['email', { email: 'attacker@evil.example' }],
    ['new_password', { new_password: 'attacker-password-1' }],
  ])("refuses another user's %s with a form error and leaves the account as it was", async (field, change) => {
    const user = await buildUser({ email: `owner${Date.now()}@loopin.test`, password: await hashPassword('owner-password-1') });
    const before = await accountRow(user.id);
    const res = await staff.agent.post(`/admin/api/resources/auth_user/records/${user.id}/edit`).type('form')
      .send({ username: user.username, email: user.email, first_name: user.first_name, ...change });
    expect(res.body.notice?.type).toBe('error');
    expect(res.body.record.errors[field]).toBeDefined();
    expect(await accountRow(user.id)).toBe(before);
  });

  it('refuses any edit of a superuser account, even of its name', async () => {
    const root = await AuthUser.findOne({ where: { is_superuser: true } });
    const before = await accountRow(root!.id);
    const res = await staff.agent.post(`/admin/api/resources/auth_user/records/${root!.id}/edit`).type('form').send({ first_name: 'Owned' });
    expect(res.body.notice?.type).toBe('error');
    expect(await accountRow(root!.id)).toBe(before);
  });

  it('refuses creating an account with a password or privileges', async () => {
    const count = await AuthUser.count();
    for (const extra of [{ is_staff: 'true' }, { new_password: 'chosen-password-1' }]) {
      const res = await staff.agent.post('/admin/api/resources/auth_user/actions/new').type('form').send({ username: '+918888888888', ...extra });
      expect(res.body.notice?.type).toBe('error');
    }
    expect(await AuthUser.count()).toBe(count);
  });

  it('lets a superuser change phone, email and password, and refuses their own privilege change', async () => {
    const user = await buildUser();
    const res = await superuser.post(`/admin/api/resources/auth_user/records/${user.id}/edit`).type('form')
      .send({ username: '+917777777777', email: 'New@Loopin.test', new_password: 'fresh-password-12' });
    expect(res.body.notice?.type, JSON.stringify(res.body.record?.errors)).toBe('success');
    await user.reload();
    expect(user.username).toBe('+917777777777');
    expect(user.email).toBe('new@loopin.test');
    expect(await verifyPassword(user.password, 'fresh-password-12')).toBe(true);
    const row = await AuditLog.findOne({ where: { command: 'auth.staff_update_account', object_id: user.id } });
    expect(row?.severity).toBe('high');
    expect(row?.new_values).toMatchObject({ password: '[redacted]' });

    const short = await superuser.post(`/admin/api/resources/auth_user/records/${user.id}/edit`).type('form').send({ new_password: 'short' });
    expect(short.body.record.errors.new_password).toBeDefined();

    const root = (await AuthUser.findOne({ where: { is_superuser: true } }))!;
    const self = await superuser.post(`/admin/api/resources/auth_user/records/${root.id}/edit`).type('form').send({ is_superuser: 'false' });
    expect(self.body.record.errors.is_superuser).toBeDefined();
    expect((await root.reload()).is_superuser).toBe(true);
  });
});

describe('no panel answer carries a password or its hash', () => {
  it('create, edit, show and list answers hold neither the new password nor the argon2 hash', async () => {
    const created = await superuser.post('/admin/api/resources/auth_user/actions/new').type('form')
      .send({ username: '+916666666666', email: 'desk2@loopin.test', is_staff: 'true', new_password: 'desk-password-123', reauth_password: SUPERUSER.password });
    expect(created.body.notice?.type, JSON.stringify(created.body.record?.errors)).toBe('success');
    const id = Number(created.body.record.id);
    const stored = (await AuthUser.findByPk(id))!;
    expect(await verifyPassword(stored.password, 'desk-password-123')).toBe(true);
    const edited = await superuser.post(`/admin/api/resources/auth_user/records/${id}/edit`).type('form')
      .send({ first_name: 'Desk', new_password: 'desk-password-456' });
    expect(edited.body.notice?.type).toBe('success');
    const answers = [
      created, edited,
      await superuser.get(`/admin/api/resources/auth_user/records/${id}/show`),
      await superuser.get(`/admin/api/resources/auth_user/records/${id}/edit`),
      await superuser.get('/admin/api/resources/auth_user/actions/list'),
      await superuser.get('/admin/api/resources/auth_user/actions/search/desk'),
    ];
    for (const res of answers) {
      expect(res.text).not.toMatch(/\$argon2/);
      expect(res.text).not.toContain('desk-password-');
      expect(res.text).not.toContain(SUPERUSER.password);
      expect(res.text).not.toContain('"password"');
      expect(res.text).not.toContain('new_password":');
    }
  });
});
