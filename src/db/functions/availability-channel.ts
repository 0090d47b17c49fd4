/**
 * What the availability triggers and the listeners of src/modules/availability agree on, spelled
 * once: the NOTIFY channel (its payload is the event id, nothing else: listeners recompute) and the
 * waitlist's request status (the `waitlisted` figure counts it; joining's waitlist re-exports it).
 */
export const AVAILABILITY_CHANNEL = 'loopin_availability';
export const WAITLISTED = 'waitlisted';
