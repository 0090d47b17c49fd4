/** The audit domain's commands; writing audit rows is the writer's (../writer.ts), called by every command. */
export { sealAuditChain, type SealOptions, type SealResult } from './seal.js';
export { verifyAuditChain, MAX_UNSEALED_AGE_MS, type ChainReport } from './verify.js';
export { summarizeAuditLog } from './summary.js';
