import type { ActionContext, ActionRequest, ActionResponse, BaseRecord } from 'adminjs';
import type { Context } from '../../src/context.js';
import { adminContext } from '../../src/admin/context.js';
import { Components } from '../../src/admin/component-loader.js';
import { toAppError } from '../../src/http/problem.js';

export interface FieldSpec {
  name: string;
  label: string;
  type?: 'text' | 'textarea' | 'select' | 'password';
  options?: { value: string; label: string }[];
  required?: boolean;
}

export interface CommandActionOptions {
  label: string;
  icon?: string;
  variant?: 'danger' | 'primary' | 'default';
  confirm?: string;
  fields?: FieldSpec[];
  /** Show the button only for records in a state where it makes sense (e.g. status = pending). */
  isVisible?: (params: Record<string, unknown>) => boolean;
  /** Who may run it beyond being staff (e.g. superuser only). */
  isAccessible?: (admin: { is_superuser?: boolean; is_staff?: boolean } | undefined) => boolean;
  /** Runs the domain command for one record; returns the success message. */
  run: (ctx: Context, params: Record<string, unknown>, payload: Record<string, string>) => Promise<string>;
}

/**
 * An AdminJS record action that calls one domain command. It is a thin door: the rules live in the
 * command. A GET only renders the confirmation form (ConfirmCommand), which POSTs; only a POST runs.
 */
export function commandAction(o: CommandActionOptions) {
  return {
    actionType: 'record' as const,
    label: o.label,
    icon: o.icon,
    variant: o.variant,
    component: Components.ConfirmCommand,
    custom: { confirm: o.confirm, fields: o.fields ?? [] },
    isVisible: ({ record }: ActionContext) => (record && o.isVisible ? o.isVisible(record.params) : true),
    isAccessible: ({ currentAdmin }: ActionContext) =>
      !!currentAdmin && (o.isAccessible ? o.isAccessible(currentAdmin as never) : true),
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const { record, currentAdmin } = context;
      if (!record) throw new Error('record action without a record');
      if (request.method !== 'post') return { record: record.toJSON(currentAdmin) };
      const notice = await runCommand(o, request, context, record);
      const fresh = (await context.resource.findOne(String(record.id()))) ?? record;
      return { record: fresh.toJSON(currentAdmin), notice };
    },
  };
}

/** The bulk form of a command action: runs the command per selected record, each in its own transaction. */
export function bulkCommandAction(o: CommandActionOptions) {
  return {
    ...commandAction(o),
    actionType: 'bulk' as const,
    isVisible: true,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      const { records = [], currentAdmin } = context;
      if (request.method !== 'post') return { records: records.map((r) => r.toJSON(currentAdmin)) };
      let ok = 0;
      const failures: string[] = [];
      for (const record of records) {
        const notice = await runCommand(o, request, context, record);
        if (notice.type === 'success') ok++;
        else failures.push(notice.message);
      }
      return {
        records: records.map((r) => r.toJSON(currentAdmin)),
        notice: failures.length
          ? { message: `${ok} done, ${failures.length} refused: ${failures.slice(0, 3).join('; ')}`, type: 'error' }
          : { message: `${ok} done`, type: 'success' },
      };
    },
  };
}

async function runCommand(o: CommandActionOptions, request: ActionRequest, context: ActionContext, record: BaseRecord) {
  const payload = Object.fromEntries(Object.entries(request.payload ?? {}).map(([k, v]) => [k, String(v ?? '')]));
  try {
    const message = await o.run(adminContext(context.currentAdmin, request), record.params, payload);
    return { message, type: 'success' as const };
  } catch (err) {
    const known = toAppError(err);
    if (!known) throw err;
    return { message: known.message, type: 'error' as const };
  }
}
