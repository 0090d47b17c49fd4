import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { AuditLog } from '../../models/index.js';

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
 * Every command calls this; nothing else writes audit rows.
 */
export async function audit(ctx: Context, entry: AuditEntry): Promise<void> {
  if (!ctx.transaction) throw new Error('audit() must run inside the command transaction');
  await AuditLog.create(row(ctx, entry), { transaction: ctx.transaction });
}

/**
 * Records a failed attempt in its own transaction, so the row survives the rollback of the
 * command that failed (wrong OTP, refused login, refused webhook).
 */
export async function auditFailure(ctx: Context, entry: Omit<AuditEntry, 'success'>): Promise<void> {
  await sequelize().transaction(async (transaction) => {
    await AuditLog.create(row({ ...ctx, transaction }, { severity: 'medium', ...entry, success: false }), { transaction });
  });
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
    payload: { source: ctx.source, ...(e.payload ?? {}) },
    metadata: ctx.requestId ? { request_id: ctx.requestId } : {},
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
