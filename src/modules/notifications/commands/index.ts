/** The notifications domain's commands (routes, AdminJS actions and jobs call only these). */
export { listNotifications, countUnread, markRead, markAllRead } from './inbox.js';
export { broadcastNotification } from './broadcast.js';
export { deliverDueEmails } from '../outbox/deliver.js';
export { purgeExpiredNotifications } from './retention.js';
export { sendEventReminders } from './reminders.js';
