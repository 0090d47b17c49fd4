/**
 * The joining rules both TypeScript and the SQL functions need, spelled once: the function text in
 * this folder is built from these, and the joining domain reads them from here (src/modules/joining/rules.ts).
 */

/** Attendee statuses that hold a place: such a person cannot be admitted again nor hold seats. */
export const ATTENDING_STATUSES = ['going', 'checked_in', 'maybe'] as const;

/** `'a', 'b'` for an SQL IN list of fixed words. */
export const sqlWords = (words: readonly string[]): string => words.map((w) => `'${w.replace(/'/g, "''")}'`).join(', ');

/** `<col> IN ('going', 'checked_in', 'maybe')` for a status column. */
export const attendingSql = (column: string): string => `${column} IN (${sqlWords(ATTENDING_STATUSES)})`;

/** A hold is open until consumed (paid for) or released (given back, swept); as a Sequelize where. */
export const OPEN_HOLD = { consumed: false, released_at: null } as const;
/** OPEN_HOLD as an SQL condition on the capacity_reservation columns behind `prefix` ('' or 'r.'). */
export const openHoldSql = (prefix: string): string => `NOT ${prefix}consumed AND ${prefix}released_at IS NULL`;

/** A hold counts against capacity (is live) while open and not past expires_at. */
export const liveHoldSql = (prefix: string, now: string): string => `${openHoldSql(prefix)} AND ${prefix}expires_at > ${now}`;

/** An event takes joiners while published, active and not yet started. */
export interface JoinableState { status: string; is_active: boolean; start_time: Date }

/** Why an event takes no new joiners right now, or null when it does. */
export function closedReason(event: JoinableState, now: Date): string | null {
  if (!event.is_active || event.status !== 'published') return `Event is ${event.is_active ? event.status : 'inactive'}`;
  if (event.start_time.getTime() <= now.getTime()) return 'Event has already started';
  return null;
}

/** closedReason() === null as an SQL condition on the event columns behind `prefix`. */
export const openForJoiningSql = (prefix: string, now: string): string =>
  `${prefix}status = 'published' AND ${prefix}is_active AND ${prefix}start_time > ${now}`;

/**
 * Refusals of the joining SQL functions: SQLSTATEs of our own class 'LJ' whose message is the
 * Conflict detail the API shows ('%' is filled in by the function). LJ004 carries no reason: the
 * command reads the event to say whether it is full or closed.
 */
export const REFUSALS = {
  requestNotPending: { code: 'LJ001', message: 'Request is %' },
  alreadyAttending: { code: 'LJ002', message: 'Already attending this event' },
  alreadyHolding: { code: 'LJ003', message: 'Seats are already held for you at this event' },
  claimFailed: { code: 'LJ004', message: 'Event is full' },
  holdNotPayable: { code: 'LJ005', message: 'Reservation is %' },
} as const;
export type Refusal = keyof typeof REFUSALS;
export const CLAIM_FAILED = REFUSALS.claimFailed.code;

/** The PL/pgSQL statement raising a refusal; `args` are SQL expressions for the message's '%'. */
export function raiseSql(refusal: Refusal, ...args: string[]): string {
  const { code, message } = REFUSALS[refusal];
  return `RAISE EXCEPTION '${message}'${args.map((a) => `, ${a}`).join('')} USING ERRCODE = '${code}';`;
}

/** Whether an SQLSTATE is one of the refusals above. */
export const isRefusalCode = (code: string | undefined): boolean =>
  !!code && Object.values(REFUSALS).some((r) => r.code === code);
