import { commandAction } from './define.js';
import type { CommandActions } from './types.js';
import { staffCheckIn } from '../../src/modules/attendance/commands/index.js';

/*
 * AdminJS actions on ATTENDANCE_RECORD: staff at the door checking in a guest who lost their phone.
 * A thin door to the same check-in the API runs (window, void and paid rules, the one conditional
 * update), with the staff member's reason in the audit row. POST only (ConfirmCommand).
 */
export const attendanceRecordActions: CommandActions = {
  checkIn: commandAction({
    label: 'Check in', icon: 'LogIn', variant: 'primary', isVisible: (p) => p.status === 'going',
    fields: [{ name: 'reason', label: 'Why is the guest let in without their code? (audited)', type: 'textarea', required: true }],
    confirm: 'Check this ticket in now? Every seat on it counts as arrived.',
    run: async (ctx, params, payload) => {
      const { record } = await staffCheckIn(ctx, { ticketUuid: String(params.uuid), reason: payload.reason ?? '' });
      return `Checked in at ${record.checked_in_at!.toISOString()}`;
    },
  }),
};
