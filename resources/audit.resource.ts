import { AUDIT_ACTIONS, AUDIT_SEVERITIES, AuditLog, AuditLogSummary, JOB_RUN_STATUSES, JobRun } from '../src/models/index.js';
import { NAV, choices, jsonShow, newestFirst, readOnlyActions, showOnly, type ResourceList, withOptions } from '../src/admin/resource-options.js';
import { auditActions } from './actions/audit.js';

/**
 * Audit: the append-only trail (never edited or deleted from the panel, ever), its daily summary,
 * and the scheduled job runs. The hash chain is shown read-only on the record page.
 */
export const auditResources: ResourceList = (make) => [
  withOptions(make(AuditLog, { immutable: true }), {
    navigation: NAV.audit,
    sort: newestFirst,
    listProperties: ['id', 'created_at', 'command', 'action', 'actor_user_id', 'object_type', 'object_id', 'is_successful', 'ip_address'],
    filterProperties: ['action', 'actor_user_id', 'user_id', 'object_type', 'object_id', 'created_at'],
    properties: {
      command: { isTitle: true },
      action: choices(AUDIT_ACTIONS),
      severity: choices(AUDIT_SEVERITIES),
      payload: jsonShow,
      metadata: jsonShow,
      old_values: jsonShow,
      new_values: jsonShow,
      prev_hash: showOnly,
      row_hash: showOnly,
      session_key: showOnly,
    },
    actions: { ...readOnlyActions, ...auditActions },
  }),
  withOptions(make(AuditLogSummary, { immutable: true }), {
    navigation: NAV.audit,
    sort: { sortBy: 'date', direction: 'desc' },
    listProperties: ['date', 'user_id', 'action', 'count', 'successful_count', 'failed_count'],
    filterProperties: ['date', 'user_id'],
    properties: { action: choices(AUDIT_ACTIONS) },
    actions: readOnlyActions,
  }),
  withOptions(make(JobRun, { immutable: true }), {
    navigation: NAV.audit,
    sort: newestFirst,
    listProperties: ['id', 'name', 'status', 'started_at', 'finished_at'],
    filterProperties: ['name'],
    properties: { name: { isTitle: true }, status: choices(JOB_RUN_STATUSES), detail: jsonShow, error: showOnly },
    actions: readOnlyActions,
  }),
];
