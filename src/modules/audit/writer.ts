import { QueryTypes, type Transaction } from 'sequelize';
import type { Context } from '../../context.js';
import { sequelize } from '../../db/connection.js';
import { onBeforeCommit } from '../../db/transaction.js';
import { CHAIN_LOCK, GENESIS, rowHash, subjectDigest, type ChainedContent } from './chain.js';

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

/** Transactions that hold the chain-head lock (taken directly, outside withTransaction's commit hook). */
const holdingChainLock = new WeakSet<Transaction>();

/**
 * Appends one AUDIT_LOG row in the caller's transaction: it commits or rolls back with the change.
 * Every command calls this; nothing else writes audit rows.
 *
 * The row joins the hash chain. Inside withTransaction the append is deferred to just before
 * COMMIT, so the chain-head lock is held only for the append and the commit — not for the rest of
 * the command, and never while the command waits for its own row locks (no lock-order deadlocks).
 */
export async function audit(ctx: Context, entry: AuditEntry): Promise<void> {
  const tx = ctx.transaction;
  if (!tx) throw new Error('audit() must run inside the command transaction');
  const values = row(ctx, entry);
  if (onBeforeCommit(tx, () => append(tx, values))) return;
  await append(tx, values);
}

/**
 * Records a failed attempt in its own transaction, so the row survives the rollback of the
 * command that failed (wrong OTP, refused login, refused webhook).
 */
export async function auditFailure(ctx: Context, entry: Omit<AuditEntry, 'success'>): Promise<void> {
  if (ctx.transaction && holdingChainLock.has(ctx.transaction)) {
    // The outer transaction holds the chain head until it ends: a second transaction would wait forever.
    throw new Error('auditFailure() after audit() in a transaction outside withTransaction would deadlock');
  }
  await sequelize().transaction(async (transaction) => {
    await append(transaction, row({ ...ctx, transaction }, { severity: 'medium', ...entry, success: false }));
  });
}

type Row = ReturnType<typeof row>;

/**
 * Links the row to the chain head. The advisory lock serializes appends: the head is read after
 * the lock is granted (READ COMMITTED: a fresh snapshot per statement), and the id is drawn under
 * the lock too, so id order is chain order. A unique index on prev_hash (migration 0501) turns any
 * fork into an error instead of a silent branch. A row written around the writer (raw SQL, no hash)
 * is skipped as a predecessor: the verifier reports it as "not chained", and writers keep working.
 */
async function append(tx: Transaction, r: Row): Promise<void> {
  const db = sequelize();
  await db.query('SELECT pg_advisory_xact_lock(:ns, :key)', { replacements: CHAIN_LOCK, transaction: tx });
  holdingChainLock.add(tx);
  const [head] = await db.query<{ id: number; prev: string | null; ip: string | null }>(
    `SELECT nextval(pg_get_serial_sequence('audit_log', 'id')) AS id,
            (SELECT row_hash FROM audit_log WHERE row_hash IS NOT NULL ORDER BY id DESC LIMIT 1) AS prev,
            host(CAST(:ip AS inet)) AS ip`,
    { replacements: { ip: r.ip_address }, transaction: tx, type: QueryTypes.SELECT },
  );
  const prevHash = head!.prev ?? GENESIS;
  const content: ChainedContent = {
    id: head!.id, action: r.action, command: r.command, object_type: r.object_type, object_id: r.object_id,
    object_uuid: r.object_uuid, payload: r.payload, metadata: r.metadata, old_values: r.old_values,
    new_values: r.new_values, ip_address: head!.ip, user_agent: r.user_agent, session_key: r.session_key,
    severity: r.severity, is_successful: r.is_successful, error_message: r.error_message, created_at: r.created_at,
    subject_digest: subjectDigest(r.actor_user_id, r.user_id),
  };
  const json = (v: unknown) => (v === null ? null : JSON.stringify(v));
  await db.query(
    `INSERT INTO audit_log (id, actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload,
       metadata, old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
       subject_digest, prev_hash, row_hash, created_at, updated_at)
     VALUES (:id, :actor_user_id, :user_id, :action, :command, :object_type, :object_id, :object_uuid, CAST(:payload AS jsonb),
       CAST(:metadata AS jsonb), CAST(:old_values AS jsonb), CAST(:new_values AS jsonb), CAST(:ip AS inet), :user_agent,
       :session_key, :severity, :is_successful, :error_message, :subject_digest, :prev_hash, :row_hash, :created_at, :created_at)`,
    {
      replacements: {
        ...r, ...content, ip: content.ip_address, payload: json(r.payload), metadata: json(r.metadata),
        old_values: json(r.old_values), new_values: json(r.new_values), prev_hash: prevHash, row_hash: rowHash(prevHash, content),
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
