import type { CommandActions } from './types.js';

/** AdminJS actions on EVENT (publish / cancel / postpone / complete), calling the events commands. */
export const eventActions: CommandActions = {};
