/*
 * SQL fragments shared by the attendance statements that write their audit row in the same
 * statement as the change (rows built by auditRow(), then sealWritten()).
 */

/** Inserts the audit row `$audit` (one auditRow() as JSON) once per row of CTE `source`. */
export const auditInsertFrom = (source: string, param = '$audit') => `
  INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
                         old_values, new_values, ip_address, user_agent, session_key, severity, is_successful, error_message,
                         subject_digest, created_at, updated_at)
  SELECT j.actor_user_id, j.user_id, j.action, j.command, j.object_type, j.object_id, j.object_uuid, j.payload, j.metadata,
         j.old_values, j.new_values, j.ip_address, j.user_agent, j.session_key, j.severity, j.is_successful, j.error_message,
         j.subject_digest, j.created_at, j.created_at
    FROM ${source}, jsonb_populate_record(NULL::audit_log, ${param}::jsonb) j
  RETURNING id`;
