import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { auditRow, sealWritten, type AuditEntry } from '../../audit/writer.js';
import { notificationRow, type NotificationInput } from '../../notifications/writer.js';

/*
 * The notification and the audit row of a fulfilment in ONE statement, rows built by the same
 * writers notify() and audit() use. It runs after the seating call, i.e. while the event row is
 * locked by the capacity claim: one round trip instead of two keeps that lock short.
 */
const SQL = `WITH n AS (
  INSERT INTO notification (recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
                            email_status, email_next_attempt_at)
  SELECT recipient_id, sender_id, type, title, message, reference_type, reference_id, metadata, is_read,
         email_status, email_next_attempt_at
    FROM jsonb_populate_recordset(NULL::notification, $notifications::jsonb)
  RETURNING 1
), a AS (
  INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
                         subject_digest, created_at, updated_at)
  SELECT actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
         subject_digest, created_at, created_at
    FROM jsonb_populate_recordset(NULL::audit_log, $audit::jsonb)
  RETURNING 1
) SELECT (SELECT COUNT(*) FROM n)::int AS n, (SELECT COUNT(*) FROM a)::int AS a`;

export async function writeNoticeAndAudit(ctx: Context, notice: NotificationInput, entry: AuditEntry): Promise<void> {
  if (!ctx.transaction) throw new Error('writeNoticeAndAudit() must run inside the command transaction');
  await sequelize().query(SQL, {
    bind: { notifications: JSON.stringify([notificationRow(ctx, notice)]), audit: JSON.stringify([auditRow(ctx, entry)]) },
    transaction: ctx.transaction, type: QueryTypes.SELECT,
  });
  sealWritten(ctx);
}
