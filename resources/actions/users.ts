import type { CommandActions } from './types.js';

/** AdminJS actions on AUTH_USER (deactivate / reactivate), calling the auth commands. */
export const userActions: CommandActions = {};
