import { fn, col, where, Op, type Transaction } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { NotFound, ValidationFailed } from '../../../lib/errors.js';
import { hashPassword } from '../../../lib/password.js';
import { isUuid } from '../../../lib/uuid.js';
import { AuthUser } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { IDENTITY_FIELDS, PRIVILEGE_FIELDS, passwordProblem, refusedField, staffAccounts } from '../staff-policy.js';

/** What staff may set on an account from the back office (a password arrives in plain text, once). */
export interface StaffAccountInput {
  username?: string;
  email?: string | null;
  first_name?: string;
  last_name?: string;
  is_staff?: boolean;
  is_superuser?: boolean;
  password?: string;
}

/**
 * Options of the staff account commands. `confirmRoleChange` runs inside the command's transaction,
 * after the policy allowed the change and only when is_staff or is_superuser really changes: the
 * panel passes its re-authentication there (src/admin/reauth.ts), so an edit that leaves the roles
 * alone never asks for a password, and a refused one never asks first.
 */
export interface StaffAccountOptions {
  confirmRoleChange?: (ctx: Context) => Promise<void>;
}

const REDACTED = '[redacted]';
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Normalises and checks each given field; a bad one is a 400 naming it. */
function cleaned(input: StaffAccountInput): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (input.username !== undefined) {
    const username = input.username.trim();
    if (!username || username.length > 150) throw ValidationFailed.field('username', 'must be 1–150 characters');
    out.username = username;
  }
  if (input.email !== undefined) {
    const email = input.email?.trim().toLowerCase() || null;
    if (email && (email.length > 254 || !EMAIL.test(email))) throw ValidationFailed.field('email', 'is not an email address');
    out.email = email;
  }
  for (const name of ['first_name', 'last_name'] as const) {
    if (input[name] === undefined) continue;
    const value = input[name]!.trim();
    if (value.length > 150) throw ValidationFailed.field(name, 'must be at most 150 characters');
    out[name] = value;
  }
  for (const name of PRIVILEGE_FIELDS) if (input[name] !== undefined) out[name] = !!input[name];
  if (input.password !== undefined && input.password !== '') {
    const problem = passwordProblem(input.password);
    if (problem) throw ValidationFailed.field('password', problem);
    out.password = input.password;
  }
  return out;
}

async function assertEmailFree(email: unknown, selfId: number | null, transaction: Transaction): Promise<void> {
  if (typeof email !== 'string') return;
  // Staff sign in by email: two accounts with one email would make the login ambiguous.
  const clash = await AuthUser.findOne({
    where: { [Op.and]: [where(fn('lower', col('email')), email), ...(selfId ? [{ id: { [Op.ne]: selfId } }] : [])] }, attributes: ['id'], transaction,
  });
  if (clash) throw ValidationFailed.field('email', 'is already used by another account');
}

const redacted = (values: Record<string, unknown>) => ('password' in values ? { ...values, password: REDACTED } : values);
const severityOf = (keys: string[]) => (keys.some((k) => [...IDENTITY_FIELDS, ...PRIVILEGE_FIELDS].includes(k as never)) ? 'high' as const : 'low' as const);

/** Staff create an account (phone/username required). Privileges and a password: superusers only. */
export async function createAccountAsStaff(ctx: Context, input: StaffAccountInput, opts: StaffAccountOptions = {}): Promise<AuthUser> {
  return withTransaction(ctx, async (tx, ctx) => {
    staffAccounts.authorize(ctx.actor, 'create', null);
    const values = cleaned(input);
    if (!values.username) throw ValidationFailed.field('username', 'is required');
    const privileged = PRIVILEGE_FIELDS.find((k) => values[k] === true) ?? ('password' in values ? 'password' : null);
    if (privileged && !staffAccounts.can(ctx.actor, 'create_privileged', null)) {
      throw refusedField(privileged, 'only a superuser can set this');
    }
    if (PRIVILEGE_FIELDS.some((k) => values[k] === true)) await opts.confirmRoleChange?.(ctx);
    await assertEmailFree(values.email, null, tx);
    const user = await AuthUser.create({
      ...values, ...('password' in values ? { password: await hashPassword(String(values.password)) } : {}),
      date_joined: ctx.now(),
    } as never, { transaction: tx });
    await audit(ctx, {
      action: 'create', command: 'auth.staff_create_account', object: { type: 'auth_user', id: user.id, uuid: user.uuid },
      userId: user.id, newValues: redacted(values), severity: severityOf(Object.keys(values)),
    });
    return user;
  });
}

/**
 * Staff change an account. Only fields whose value really changes are checked (a form posts every
 * field back): identity and privileges need a superuser, a superuser's account needs a superuser,
 * and nobody changes their own privileges.
 */
export async function updateAccountAsStaff(
  ctx: Context, userUuid: string, input: StaffAccountInput, opts: StaffAccountOptions = {},
): Promise<AuthUser> {
  if (!isUuid(userUuid)) throw new NotFound('User');
  return withTransaction(ctx, async (tx, ctx) => {
    const user = await AuthUser.findOne({ where: { uuid: userUuid }, transaction: tx, lock: tx.LOCK.UPDATE });
    if (!user) throw new NotFound('User');
    staffAccounts.authorize(ctx.actor, 'edit', user, () => refusedField('is_superuser', 'only a superuser can change a superuser account'));
    const values = cleaned(input);
    const changed = Object.keys(values).filter((k) => k === 'password' || values[k] !== (user.get(k) ?? null));
    for (const field of changed) {
      if ((IDENTITY_FIELDS as readonly string[]).includes(field) && !staffAccounts.can(ctx.actor, 'change_identity', user)) {
        throw refusedField(field, 'only a superuser can change the phone, email or password of an account');
      }
      if ((PRIVILEGE_FIELDS as readonly string[]).includes(field) && !staffAccounts.can(ctx.actor, 'grant_privileges', user)) {
        throw refusedField(field, ctx.actor?.id === user.id ? 'nobody changes their own privileges' : 'only a superuser can grant or revoke this');
      }
    }
    if (!changed.length) return user;
    if (changed.some((k) => (PRIVILEGE_FIELDS as readonly string[]).includes(k))) await opts.confirmRoleChange?.(ctx);
    if (changed.includes('email')) await assertEmailFree(values.email, user.id, tx);
    const oldValues = Object.fromEntries(changed.map((k) => [k, k === 'password' ? REDACTED : user.get(k)]));
    const write = Object.fromEntries(changed.map((k) => [k, values[k]]));
    if ('password' in write) write.password = await hashPassword(String(write.password));
    if (changed.includes('username') && (await AuthUser.count({ where: { username: write.username as string, id: { [Op.ne]: user.id } }, transaction: tx }))) {
      throw ValidationFailed.field('username', 'is already taken');
    }
    await user.update({ ...write, updated_at: ctx.now() }, { transaction: tx });
    await audit(ctx, {
      action: changed.includes('password') ? 'password_change' : 'update', command: 'auth.staff_update_account',
      object: { type: 'auth_user', id: user.id, uuid: user.uuid }, userId: user.id,
      oldValues, newValues: redacted(Object.fromEntries(changed.map((k) => [k, values[k]]))), severity: severityOf(changed),
    });
    return user;
  });
}
