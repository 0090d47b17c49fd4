import { runJobFile } from '../src/jobs/runtime.js';
import { summarizeAuditLog } from '../src/modules/audit/summary.js';

// Yesterday and today: yesterday's late rows are folded in after midnight, today's stay fresh.
await runJobFile('audit-summary', (ctx) => summarizeAuditLog(ctx, { days: 2 }));
