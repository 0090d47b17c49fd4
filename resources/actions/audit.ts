import type { CommandActions } from './types.js';

/** AdminJS actions on AUDIT_LOG (verify the tamper-evident chain). */
export const auditActions: CommandActions = {};
