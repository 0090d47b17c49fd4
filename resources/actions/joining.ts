import { bulkCommandAction, commandAction, type CommandActionOptions } from './define.js';
import type { CommandActions } from './types.js';
import { acceptRequest, declineRequest } from '../../src/modules/joining/commands/requests.js';
import { cancelAttendee } from '../../src/modules/joining/commands/attendees.js';
import { releaseReservation } from '../../src/modules/joining/commands/holds.js';
import { admitNow, removeFromWaitlist, waitlistPositions } from '../../src/modules/joining/commands/waitlist.js';

/*
 * AdminJS actions on EVENT_REQUEST, EVENT_ATTENDEE and CAPACITY_RESERVATION: thin doors to the same
 * joining commands the API uses (capacity checks, counters, notifications and audit included), run
 * as POST through ConfirmCommand.
 */
const hostMessage = { name: 'host_message', label: 'Message to the requester (optional)', type: 'textarea' as const };
const pending = (p: Record<string, unknown>) => p.status === 'pending';

const approve: CommandActionOptions = {
  label: 'Approve', icon: 'Check', variant: 'primary', fields: [hostMessage], isVisible: pending,
  confirm: 'Approve this request? Free events admit the requester now; paid events hold the seats while they pay.',
  run: async (ctx, params, payload) => {
    const { reservation, waitlist_position } = await acceptRequest(ctx, { requestUuid: String(params.uuid), hostMessage: payload.host_message || undefined });
    if (waitlist_position !== null) return `The event is full: the request is on the waitlist at position ${waitlist_position}`;
    return reservation ? `Request approved: seats held until ${reservation.expires_at.toISOString()}` : 'Request approved: attendee added';
  },
};
const decline: CommandActionOptions = {
  label: 'Decline', icon: 'X', variant: 'danger', fields: [hostMessage], isVisible: pending, confirm: 'Decline this request?',
  run: async (ctx, params, payload) => {
    await declineRequest(ctx, { requestUuid: String(params.uuid), hostMessage: payload.host_message || undefined });
    return 'Request declined';
  },
};

export const requestActions: CommandActions = {
  approve: commandAction(approve),
  decline: commandAction(decline),
  bulkApprove: bulkCommandAction({ ...approve, label: 'Approve selected' }),
  bulkDecline: bulkCommandAction({ ...decline, label: 'Decline selected' }),
};

const waitlisted = (p: Record<string, unknown>) => p.status === 'waitlisted';

type Params = { id: number; event_id: number; status: string; waitlist_seq: string | null };
/** Fills the virtual `waitlist_position` of waitlisted requests shown in a list or on a show page. */
export async function withWaitlistPosition<T extends { records?: { params: Record<string, unknown> }[]; record?: { params: Record<string, unknown> } }>(
  response: T,
): Promise<T> {
  const records = response.records ?? (response.record ? [response.record] : []);
  const positions = await waitlistPositions(records.map((r) => r.params as unknown as Params));
  for (const r of records) r.params.waitlist_position = positions.get(Number(r.params.id)) ?? null;
  return response;
}

/** The waitlist (requests filtered by status waitlisted, in waitlist_seq order): admit out of turn, or remove. */
export const waitlistActions: CommandActions = {
  admitNow: commandAction({
    label: 'Admit now', icon: 'UserPlus', variant: 'primary', isVisible: waitlisted,
    confirm: 'Admit this waitlisted request now, ahead of its turn? Only when its seats are free: free events admit, paid events hold the seats.',
    run: async (ctx, params) => {
      const { reservation } = await admitNow(ctx, { requestUuid: String(params.uuid) });
      return reservation ? `Admitted: seats held until ${reservation.expires_at.toISOString()}` : 'Admitted: attendee added';
    },
  }),
  removeFromWaitlist: commandAction({
    label: 'Remove from waitlist', icon: 'UserMinus', variant: 'danger', fields: [hostMessage], isVisible: waitlisted,
    confirm: 'Take this request off the waitlist? It is declined and the requester is told.',
    run: async (ctx, params, payload) => {
      await removeFromWaitlist(ctx, { requestUuid: String(params.uuid), hostMessage: payload.host_message || undefined });
      return 'Removed from the waitlist';
    },
  }),
};

export const attendeeActions: CommandActions = {
  cancel: commandAction({
    label: 'Cancel attendee', icon: 'UserMinus', variant: 'danger', isVisible: (p) => p.status === 'going',
    confirm: 'Cancel this attendance? The seats are freed at once and the attendee is notified.',
    run: async (ctx, params) => {
      await cancelAttendee(ctx, { attendeeUuid: String(params.uuid) });
      return 'Attendance cancelled';
    },
  }),
};

export const reservationActions: CommandActions = {
  release: commandAction({
    label: 'Release hold', icon: 'Unlock', variant: 'danger',
    isVisible: (p) => !p.released_at && p.consumed !== true && p.consumed !== 'true',
    confirm: 'Release these held seats now? Anyone may take them afterwards.',
    run: async (ctx, params) => {
      await releaseReservation(ctx, { reservationKey: String(params.reservation_key) });
      return 'Hold released';
    },
  }),
};
