import type { CommandActions } from './types.js';

/** AdminJS actions on NOTIFICATION (staff broadcast), calling the notifications commands. */
export const notificationActions: CommandActions = {};
