import type { ActionContext, ActionResponse } from 'adminjs';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import type { CommandActions } from './types.js';

/**
 * AdminJS actions on AUDIT_LOG. "Verify chain" walks the sealed hash chain (the same function as
 * `npm run audit:verify`) and reports the first broken link and how many rows wait for the sealer. It only reads, so GET runs it.
 * The resource itself must offer no edit/delete (the trigger would refuse them anyway).
 */
export const auditActions: CommandActions = {
  verifyChain: {
    actionType: 'resource',
    label: 'Verify chain',
    icon: 'Shield',
    component: false,
    isAccessible: ({ currentAdmin }: ActionContext) => !!currentAdmin,
    handler: async (): Promise<ActionResponse> => {
      const report = await verifyAuditChain();
      return {
        notice: report.ok
          ? { message: `Audit chain OK: ${report.checked} sealed rows verified, ${report.unsealed} not yet sealed`, type: 'success' }
          : { message: `Audit chain BROKEN at id ${report.broken_at}: ${report.reason} (${report.unsealed} not yet sealed)`, type: 'error' },
        report,
      } as ActionResponse;
    },
  },
};

/**
 * Built-in AdminJS actions to switch off on AUDIT_LOG (and AUDIT_LOG_SUMMARY): the trail is
 * append-only — spread into the resource's `actions` next to auditActions.
 */
export const auditReadOnly = {
  new: { isAccessible: false },
  edit: { isAccessible: false },
  delete: { isAccessible: false },
  bulkDelete: { isAccessible: false },
} as const;
