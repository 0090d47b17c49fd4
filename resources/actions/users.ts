import { deactivateUser, reactivateUser } from '../../src/modules/auth/commands/index.js';
import { commandAction } from './define.js';
import type { CommandActions } from './types.js';

const isActive = (params: Record<string, unknown>) => params.is_active === true || params.is_active === 'true';

/** AdminJS actions on AUTH_USER (deactivate / reactivate), calling the auth commands. */
export const userActions: CommandActions = {
  deactivate: commandAction({
    label: 'Deactivate',
    icon: 'UserX',
    variant: 'danger',
    confirm: 'Deactivate this account? The user is logged out everywhere and cannot log in until reactivated.',
    isVisible: (params) => isActive(params),
    run: async (ctx, params) => {
      await deactivateUser(ctx, { userUuid: String(params.uuid) });
      return 'Account deactivated; its sessions were revoked';
    },
  }),
  reactivate: commandAction({
    label: 'Reactivate',
    icon: 'UserCheck',
    variant: 'primary',
    confirm: 'Reactivate this account? The user can log in again with a new code.',
    isVisible: (params) => !isActive(params),
    run: async (ctx, params) => {
      await reactivateUser(ctx, { userUuid: String(params.uuid) });
      return 'Account reactivated';
    },
  }),
};
