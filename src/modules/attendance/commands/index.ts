/** The attendance commands: tickets and their codes, the door (check-in, check-out, offline sync, lists), the completion job. */
export { listMyTickets, getMyTicket, ticketQrPayload, issueCheckinOtp, type TicketView } from './tickets.js';
export { checkIn, checkOut, admitAtDoor, admitTicket, type Credential, type DoorTicket } from './checkin.js';
export { syncScans, type Scan, type ScanResult } from './sync.js';
export { doorList, checkinCounts, type DoorEntry, type CheckinCounts } from './door.js';
export { completePastEvents, type CompletionResult } from './complete-events.js';
export { staffCheckIn } from './staff.js';
