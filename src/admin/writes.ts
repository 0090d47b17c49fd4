import { ValidationError as AdminValidationError } from 'adminjs';
import { DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError, type Model, type Transaction } from 'sequelize';
import type { Context } from '../context.js';
import { AppError } from '../lib/errors.js';
import { sequelize } from '../db/connection.js';
import type { CommandWrites } from './command-writes.js';
import type { LoopinResource } from './resource.js';

export type WriteContext = Context & { transaction: Transaction };

export type WriteOp =
  | { kind: 'create'; values: Record<string, unknown> }
  | { kind: 'update'; id: number; values: Record<string, unknown> }
  | { kind: 'delete'; id: number };

// AdminJS's bulk delete starts its deletes in parallel; on one transaction they must take turns.
const queues = new WeakMap<Transaction, Promise<unknown>>();

/**
 * One panel write (new, edit or delete), always through the domain command that owns it: in a
 * savepoint of the action's transaction, with the row locked, and the command's refusals turned
 * into form errors. The command validates, writes, notifies and audits, as it does for the API.
 * A write no command owns is refused: the panel cannot bypass the domain.
 */
export function auditedWrite(resource: LoopinResource, ctx: WriteContext, op: WriteOp): Promise<Record<string, unknown>> {
  if (!ownedWrites(resource.rules.commands).has(op.kind)) {
    const message = `${resource.id()} cannot be ${op.kind}d in the panel: no command owns this write`;
    return Promise.reject(new AdminValidationError({}, { message, type: 'readOnly' }));
  }
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

/** The write kinds a resource's commands own (the panel offers only these). */
export function ownedWrites(commands: CommandWrites | undefined): Set<WriteOp['kind']> {
  return new Set((['create', 'update', 'delete'] as const).filter((k) => commands?.[k]));
}

async function apply(resource: LoopinResource, ctx: WriteContext, op: WriteOp): Promise<Record<string, unknown>> {
  const transaction = ctx.transaction;
  const table = resource.id();
  const secrets = [...(resource.rules.secrets ?? [])];
  const visible = (row: Model) => Object.fromEntries(Object.entries(row.get({ plain: true }) as Record<string, unknown>)
    .filter(([k]) => !secrets.includes(k)));
  const commands = resource.rules.commands ?? {};

  if (op.kind === 'create') {
    const created = await commands.create!(ctx, op.values);
    return visible(await created.reload({ transaction, attributes: { exclude: secrets } }));
  }
  const row = await resource.model.findByPk(op.id, { transaction, lock: transaction.LOCK.UPDATE, attributes: { exclude: secrets } });
  if (!row) throw new AdminValidationError({}, { message: `${table} ${op.id} no longer exists`, type: 'notFound' });
  if (op.kind === 'update') {
    await commands.update!(ctx, row, op.values);
    return visible(await row.reload({ transaction, attributes: { exclude: secrets } }));
  }
  await commands.delete!(ctx, row);
  return visible(row);
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
