/** What other domains use from webhooks: the one writer of host events and the data of each type. */
export { emitHostEvent, hostEventRow, hostEventInsertSql, type HostEventInput, type HostEventSubject } from './writer.js';
export { hostEvents } from './events.js';
