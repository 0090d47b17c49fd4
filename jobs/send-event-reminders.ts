import { runJobFile } from '../src/jobs/runtime.js';
import { sendEventReminders } from '../src/modules/notifications/commands/index.js';

await runJobFile('send-event-reminders', (ctx) => sendEventReminders(ctx));
