import type { CommandActions } from './types.js';

/** AdminJS actions on EVENT_REQUEST, EVENT_ATTENDEE and CAPACITY_RESERVATION, calling the joining commands. */
export const requestActions: CommandActions = {};
export const attendeeActions: CommandActions = {};
export const reservationActions: CommandActions = {};
