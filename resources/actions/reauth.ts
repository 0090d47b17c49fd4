import { commandAction, type CommandActionOptions, type FieldSpec } from './define.js';
import { REAUTH_MINUTES, requireReauth } from '../../src/admin/reauth.js';

export const PASSWORD_FIELD: FieldSpec = {
  name: 'password', label: `Your password (not needed again for ${REAUTH_MINUTES} minutes once given)`, type: 'password',
};

/**
 * A command action behind re-authentication: its form has a password field (ConfirmCommand renders
 * it masked); the password is checked before the command runs and never reaches the command.
 */
export function reauthAction(o: CommandActionOptions & {
  purpose: string;
  /** Ask only when this holds (e.g. a refund above REFUND_REAUTH_ABOVE: `refundNeedsReauth`); always when absent. */
  when?: (params: Record<string, unknown>, payload: Record<string, string>) => boolean;
}) {
  return commandAction({
    ...o,
    fields: [...(o.fields ?? []), PASSWORD_FIELD],
    run: async (ctx, params, payload) => {
      const { password, ...rest } = payload;
      if (!o.when || o.when(params, rest)) await requireReauth(ctx, password, o.purpose);
      return o.run(ctx, params, rest);
    },
  });
}
