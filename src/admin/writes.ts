import { ValidationError as AdminValidationError } from 'adminjs';
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError, type Model, type Transaction } from 'sequelize';
import type { Context } from '../context.js';
import { AppError } from '../lib/errors.js';
import { sequelize } from '../db/connection.js';
import { audit } from '../modules/audit/writer.js';
import type { LoopinResource } from './resource.js';

export type WriteContext = Context & { transaction: Transaction };

export type WriteOp =
  | { kind: 'create'; values: Record<string, unknown> }
  | { kind: 'update'; id: number; values: Record<string, unknown> }
  | { kind: 'delete'; id: number };

/** Columns whose old/new values are never copied into the audit trail (only that they changed). */
const REDACTED = '[redacted]';

// AdminJS's bulk delete starts its deletes in parallel; on one transaction they must take turns.
const queues = new WeakMap<Transaction, Promise<unknown>>();

/**
 * One panel write (new, edit or delete): in a savepoint of the action's transaction, with the row
 * locked, model validations and database constraints turned into form errors, and one AUDIT_LOG row
 * carrying the staff actor, ip, user agent and the old and new values of what changed.
 */
export function auditedWrite(resource: LoopinResource, ctx: WriteContext, op: WriteOp): Promise<Record<string, unknown>> {
  const previous = queues.get(ctx.transaction) ?? Promise.resolve();
  const run = previous.catch(() => undefined).then(() => savepoint(ctx, () => apply(resource, ctx, op)));
  queues.set(ctx.transaction, run);
  return run;
}

async function savepoint<T>(ctx: WriteContext, fn: () => Promise<T>): Promise<T> {
  try {
    return await sequelize().transaction({ transaction: ctx.transaction }, fn);
  } catch (err) {
    throw toFormError(err);
  }
}

async function apply(resource: LoopinResource, ctx: WriteContext, op: WriteOp): Promise<Record<string, unknown>> {
  const transaction = ctx.transaction;
  const table = resource.id();
  const secrets = new Set(resource.rules.secrets ?? []);
  const visible = (row: Model) => Object.fromEntries(Object.entries(row.get({ plain: true }) as Record<string, unknown>)
    .filter(([k]) => !secrets.has(k)));

  const commands = resource.rules.commands ?? {};
  if (op.kind === 'create' && commands.create) {
    const created = await commands.create(ctx, op.values);
    return visible(await created.reload({ transaction, attributes: { exclude: [...secrets] } }));
  }

  if (op.kind === 'create') {
    const row = await resource.model.create(op.values, { transaction });
    await row.reload({ transaction });
    const after = snapshot(row);
    await audit(ctx, {
      action: 'create', command: `admin.${table}.create`, object: ref(table, row),
      newValues: redact(after, Object.keys(op.values), secrets), severity: severityOf(table, Object.keys(op.values)),
    });
    return visible(row);
  }

  const row = await resource.model.findByPk(op.id, { transaction, lock: transaction.LOCK.UPDATE });
  if (!row) throw new AdminValidationError({}, { message: `${table} ${op.id} no longer exists`, type: 'notFound' });
  const before = snapshot(row);

  // The command validates, writes, audits and notifies; the row is read back for the form.
  if (op.kind === 'update' && commands.update) {
    await commands.update(ctx, row, op.values);
    return visible(await row.reload({ transaction }));
  }
  if (op.kind === 'delete' && commands.delete) {
    await commands.delete(ctx, row);
    return visible(row);
  }

  if (op.kind === 'delete') {
    await row.destroy({ transaction });
    await audit(ctx, {
      action: 'delete', command: `admin.${table}.delete`, object: ref(table, row),
      oldValues: redact(before, Object.keys(before), secrets), severity: 'medium',
    });
    return visible(row);
  }

  row.set(op.values);
  await row.save({ transaction });
  await row.reload({ transaction });
  const after = snapshot(row);
  const changed = Object.keys(op.values).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  if (changed.length) {
    await audit(ctx, {
      action: changed.includes('password') ? 'password_change' : 'update', command: `admin.${table}.update`,
      object: ref(table, row), oldValues: redact(before, changed, secrets), newValues: redact(after, changed, secrets),
      severity: severityOf(table, changed),
    });
  }
  return visible(row);
}

/** Plain JSON of a row (dates as ISO strings) so before/after compare by value. */
function snapshot(row: Model): Record<string, unknown> {
  return JSON.parse(JSON.stringify(row.get({ plain: true }))) as Record<string, unknown>;
}

function redact(values: Record<string, unknown>, keys: string[], secrets: Set<string>): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in values).map((k) => [k, secrets.has(k) ? REDACTED : values[k]]));
}

function ref(table: string, row: Model) {
  const uuid = row.get('uuid');
  return { type: table, id: Number(row.get('id')), uuid: typeof uuid === 'string' ? uuid : null };
}

/** Privilege changes are the ones a reviewer must not miss. */
function severityOf(table: string, keys: string[]) {
  if (table === 'auth_user' && keys.some((k) => k === 'is_staff' || k === 'is_superuser' || k === 'password' || k === 'is_active')) {
    return 'high' as const;
  }
  return 'low' as const;
}

/** Sequelize and PostgreSQL refusals → AdminJS form errors (shown on the fields), never a 500. */
function toFormError(err: unknown): unknown {
  if (err instanceof AdminValidationError) return err;
  if (err instanceof AppError) {
    // A domain command refused: its field errors go on the fields, its detail on the form.
    const errors = Object.fromEntries(err.errors.map((e) => [e.field, { message: e.message, type: 'invalid' }]));
    return new AdminValidationError(errors, { message: err.message, type: err.title });
  }
  if (err instanceof UniqueConstraintError) {
    const fields = Object.keys(err.fields ?? {});
    const errors = Object.fromEntries(fields.map((f) => [f, { message: 'is already taken', type: 'unique' }]));
    return new AdminValidationError(errors, { message: 'This would duplicate an existing record', type: 'unique' });
  }
  if (err instanceof ValidationError) {
    const errors = Object.fromEntries(err.errors.map((e) => [e.path ?? 'base', { message: e.message, type: e.validatorKey ?? 'invalid' }]));
    return new AdminValidationError(errors, { message: 'thereWereValidationErrors', type: 'validation' });
  }
  if (err instanceof ForeignKeyConstraintError) {
    return new AdminValidationError({}, { message: 'A related record is missing or still in use', type: 'foreignKey' });
  }
  if (err instanceof DatabaseError) {
    const parent = err.parent as { code?: string; constraint?: string; column?: string };
    if (parent.code === '23502' && parent.column) {
      return new AdminValidationError({ [parent.column]: { message: 'is required', type: 'required' } }, { message: 'thereWereValidationErrors' });
    }
    if (parent.code?.startsWith('22') || parent.code?.startsWith('23')) {
      const detail = parent.constraint ? `violates the rule ${parent.constraint}` : 'a value is invalid or out of range';
      return new AdminValidationError({}, { message: `Not saved: ${detail}`, type: 'constraint' });
    }
  }
  return err;
}
