import { bulkCommandAction, commandAction, type CommandActionOptions } from './define.js';
import type { CommandActions } from './types.js';
import { acceptRequest, declineRequest } from '../../src/modules/joining/commands/requests.js';
import { cancelAttendee } from '../../src/modules/joining/commands/attendees.js';
import { releaseReservation } from '../../src/modules/joining/commands/holds.js';

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
    const { reservation } = await acceptRequest(ctx, { requestUuid: String(params.uuid), hostMessage: payload.host_message || undefined });
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
