import { runJobFile } from '../src/jobs/runtime.js';
import { sealAuditChain } from '../src/modules/audit/commands/index.js';

// Every minute; a 45 s budget so one run ends before the next is due (the next one continues).
await runJobFile('seal-audit-log', (ctx) => sealAuditChain(ctx, { batchSize: 1000, budgetMs: 45_000 }));
