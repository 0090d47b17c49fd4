import type { ActionContext, ActionResponse } from 'adminjs';
import { verifyAuditChain } from '../../src/modules/audit/verify.js';
import type { CommandActions } from './types.js';

/**
 * AdminJS actions on AUDIT_LOG. "Verify chain" walks the hash chain (the same function as
 * `npm run audit:verify`) and reports the first broken link. It only reads, so GET runs it.
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
          ? { message: `Audit chain OK: ${report.checked} rows verified`, type: 'success' }
          : { message: `Audit chain BROKEN at id ${report.broken_at}: ${report.reason}`, type: 'error' },
        report,
      } as ActionResponse;
    },
  },
};
