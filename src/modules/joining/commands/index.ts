/** The joining domain's commands: the only place its rules live. Routes, panel actions and jobs call these. */
export { createRequest, acceptRequest, declineRequest, cancelRequest, type Acceptance } from './requests.js';
export { createInvite, acceptInvite, declineInvite, expireInvites } from './invites.js';
export { createShareLink, revokeShareLink, redeemShareLink } from './share-links.js';
export { cancelAttendee, unseatRefunded } from './attendees.js';
export { releaseReservation, expireHolds } from './holds.js';
export { listEventRequests, listMyRequests, listMyInvites, listAttendees } from './lists.js';
export { seat, seatPaidHolder, type Seating, type SeatOrder, type PaidOrder } from './seating.js';
export { heldSeats } from './capacity.js';
export { changeRequestSeats } from './request-seats.js';
export {
  admitFromWaitlist, admitIfHoldsExpired, admitNow, listWaitlist, removeFromWaitlist, waitlistPositions, withWaitlistPositions, WAITLISTED, type Admission,
} from './waitlist.js';
