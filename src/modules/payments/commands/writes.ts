import { QueryTypes } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { auditRow, sealWritten, type AuditEntry } from '../../audit/writer.js';
import { entryRow, ledgerInsertSql, type EntryInput } from '../../money/ledger.js';
import { notificationRow, type NotificationInput } from '../../notifications/writer.js';
import { hostEventInsertSql, hostEventRow, type HostEventInput } from '../../webhooks/index.js';

/*
 * Everything a fulfilment writes after the seating call — the receipt notification, the audit row,
 * the host's outbox event and the ledger entries — in ONE statement, rows built by the same writers
 * notify(), audit(), emitHostEvent() and writeEntry() use. It runs while the event row is locked by
 * the capacity claim: one round trip instead of five keeps that lock short (concurrent buyers of the
 * same event queue on it).
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
), h AS (${hostEventInsertSql('$hostEvents::jsonb')}
), l AS (${ledgerInsertSql('$ledger::jsonb')}
) SELECT (SELECT COUNT(*) FROM n)::int AS n, (SELECT COUNT(*) FROM a)::int AS a`;

export interface FulfilmentWrites {
  notice: NotificationInput;
  audit: AuditEntry;
  hostEvents?: HostEventInput[];
  ledger?: EntryInput[];
}

export async function writeFulfilment(ctx: Context, w: FulfilmentWrites): Promise<void> {
  if (!ctx.transaction) throw new Error('writeFulfilment() must run inside the command transaction');
  await sequelize().query(SQL, {
    bind: {
      notifications: JSON.stringify([notificationRow(ctx, w.notice)]), audit: JSON.stringify([auditRow(ctx, w.audit)]),
      hostEvents: JSON.stringify((w.hostEvents ?? []).map((h) => hostEventRow(ctx, h))),
      ledger: JSON.stringify((w.ledger ?? []).map((e) => entryRow(ctx, e))),
    },
    transaction: ctx.transaction, type: QueryTypes.SELECT,
  });
  sealWritten(ctx);
}
