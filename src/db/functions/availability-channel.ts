/**
 * What the availability triggers and the listeners of src/modules/availability agree on, spelled
 * once: the NOTIFY channel (its payload is the event id, nothing else: listeners recompute) and the
 * request status whose count is the `waitlisted` figure (the shared data model of issue 16).
 */
export const AVAILABILITY_CHANNEL = 'loopin_availability';
export const WAITLISTED = 'waitlisted';
