import type { DbFunction } from './define.js';
import joiningAcceptRequest from './joining_accept_request.js';
import joiningAdmit from './joining_admit.js';
import joiningClaimSeats from './joining_claim_seats.js';
import joiningHold from './joining_hold.js';
import joiningSeat from './joining_seat.js';
import notifyEventAvailability from './loopin_availability_notify_event.js';
import notifyRequestAvailability from './loopin_availability_notify_request.js';
import notifyReservationAvailability from './loopin_availability_notify_reservation.js';
import auditAppendOnly from './loopin_audit_log_append_only.js';
import ledgerAppendOnly from './loopin_ledger_entry_append_only.js';
import touchUpdatedAt from './loopin_touch_updated_at.js';

export type { DbFunction } from './define.js';

/**
 * Every database function, one file each, applied in this order after the migrations on every
 * migrate (src/db/functions/apply.ts). To change a function, edit its file; add a new one here.
 */
export const FUNCTIONS: readonly DbFunction[] = [
  touchUpdatedAt, auditAppendOnly, ledgerAppendOnly, joiningClaimSeats, joiningHold, joiningAdmit, joiningSeat, joiningAcceptRequest,
  notifyEventAvailability, notifyReservationAvailability, notifyRequestAvailability,
];
