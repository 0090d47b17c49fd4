import type { Transaction } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { subjectDigest } from './chain.js';
import { requestSeal } from './seal-scheduler.js';

export type AuditAction = 'create' | 'update' | 'delete' | 'login' | 'logout' | 'password_change' | 'profile_update';
export type Severity = 'low' | 'medium' | 'high' | 'critical';

export interface AuditEntry {
  action: AuditAction;
  /** The domain command that acted, e.g. `events.publish`. */
  command: string;
  object?: { type: string; id?: number | null; uuid?: string | null };
  oldValues?: Record<string, unknown> | null;
  newValues?: Record<string, unknown> | null;
  payload?: Record<string, unknown>;
  severity?: Severity;
  success?: boolean;
  errorMessage?: string | null;
  /** The user the action concerns, when that is not the actor (e.g. a refused login). */
  userId?: number | null;
}

/**
 * Appends one AUDIT_LOG row in the caller's transaction: it commits or rolls back with the change.
 * A plain INSERT, no lock: the sealer chains it after commit (docs/decisions/0422-audit-chain-sealed-after-commit.md).
 */
export async function audit(ctx: Context, entry: AuditEntry): Promise<void> {
  const tx = ctx.transaction;
  if (!tx) throw new Error('audit() must run inside the command transaction');
  await insert(tx, auditRow(ctx, entry));
  sealAfterCommit(tx);
}

/**
 * The AUDIT_LOG row audit() inserts, for a command that writes it through one atomic SQL function
 * instead (the function inserts it with jsonb_populate_recordset; JSON turns created_at into ISO).
 * Such a command calls sealWritten() once the function has succeeded.
 */
export function auditRow(ctx: Context, entry: AuditEntry) {
  const r = row(ctx, entry);
  return { ...r, subject_digest: subjectDigest(r.actor_user_id, r.user_id) };
}

/**
 * Asks for a seal of rows written without audit(): after the caller's transaction commits, or now
 * when the write was a single autocommit statement (already committed when this runs).
 */
export function sealWritten(ctx: Context): void {
  if (ctx.transaction) sealAfterCommit(ctx.transaction);
  else requestSeal();
}

/**
 * Records a failed attempt in its own transaction, so the row survives the rollback of the
 * command that failed (wrong OTP, refused login, refused webhook).
 */
export async function auditFailure(ctx: Context, entry: Omit<AuditEntry, 'success'>): Promise<void> {
  await sequelize().transaction(async (transaction) => {
    await insert(transaction, auditRow({ ...ctx, transaction }, { severity: 'medium', ...entry, success: false }));
  });
  requestSeal();
}

/** Transactions that already asked for a seal after their commit (one request per transaction). */
const sealRequested = new WeakSet<Transaction>();

/** Asks for a seal once `tx` has committed; a rollback asks for nothing. */
function sealAfterCommit(tx: Transaction): void {
  if (sealRequested.has(tx)) return;
  sealRequested.add(tx);
  tx.afterCommit(() => requestSeal());
}

/**
 * subject_digest (the actor and concerned user, hashed so that ON DELETE SET NULL keeps the chain
 * valid) is computed in auditRow, at write time, from the ids as they were: the sealer may run after
 * the user is gone. The id comes from the column default; chain order is the sealer's, not id order.
 */
async function insert(tx: Transaction, r: ReturnType<typeof auditRow>): Promise<void> {
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await sequelize().query(
    `INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload,
       metadata, old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
       subject_digest, created_at, updated_at)
     VALUES (:actor_user_id, :user_id, :action, :command, :object_type, :object_id, :object_uuid, CAST(:payload AS jsonb),
       CAST(:metadata AS jsonb), CAST(:old_values AS jsonb), CAST(:new_values AS jsonb), CAST(:ip_address AS inet), :user_agent,
       :session_key, :severity, :is_successful, :error_message, :subject_digest, :created_at, :created_at)`,
    {
      replacements: {
        ...r, payload: json(r.payload), metadata: json(r.metadata), old_values: json(r.old_values), new_values: json(r.new_values),
      },
      transaction: tx,
    },
  );
}

function row(ctx: Context, e: AuditEntry) {
  return {
    actor_user_id: ctx.actor?.id ?? null,
    user_id: e.userId ?? ctx.actor?.id ?? null,
    action: e.action,
    command: e.command,
    object_type: e.object?.type ?? null,
    object_id: e.object?.id ?? null,
    object_uuid: e.object?.uuid ?? null,
    payload: { source: ctx.source, ...(e.payload ?? {}) } as Record<string, unknown>,
    metadata: (ctx.requestId ? { request_id: ctx.requestId } : {}) as Record<string, unknown>,
    old_values: e.oldValues ?? null,
    new_values: e.newValues ?? null,
    ip_address: ctx.ip ?? null,
    user_agent: ctx.userAgent ?? null,
    session_key: ctx.sessionKey ?? null,
    severity: e.severity ?? 'low',
    is_successful: e.success ?? true,
    error_message: e.errorMessage ?? null,
    created_at: ctx.now(),
  };
}
