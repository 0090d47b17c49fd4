import { runJobFile } from '../src/jobs/runtime.js';
import { summarizeAuditLog } from '../src/modules/audit/commands/index.js';

// Yesterday and today: yesterday's late rows are folded in after midnight, today's stay fresh.
await runJobFile('audit-summary', (ctx) => summarizeAuditLog(ctx, { days: 2 }));
