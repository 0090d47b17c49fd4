import { ACTIONS, type ActionContext, type ActionRequest, type ActionResponse, type ResourceOptions } from 'adminjs';
import { withTransaction } from '../db/transaction.js';
import { adminContext } from './context.js';

type Handler = (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;
type ActionOptions = Record<string, unknown>;

const WRITES = ['new', 'edit', 'delete', 'bulkDelete'] as const;

/**
 * Wraps the built-in write actions of a resource so that a POST runs in one transaction whose
 * command context (staff actor, ip, user agent, session) reaches LoopinResource's writes, which
 * validate and audit them (src/admin/writes.ts). Applied once, to every resource, by mountAdmin.
 * A GET never writes: it only renders the form, as AdminJS does.
 */
export function withAuditedWrites(actions: ResourceOptions['actions'] = {}): ResourceOptions['actions'] {
  const out: Record<string, ActionOptions> = { ...actions };
  for (const name of WRITES) {
    const own = (actions[name] ?? {}) as ActionOptions & { handler?: Handler };
    const inner: Handler = own.handler ?? (ACTIONS[name].handler as Handler);
    out[name] = {
      ...own,
      handler: async (request: ActionRequest, response: unknown, context: ActionContext) => {
        if (request.method !== 'post') return inner(request, response, context);
        const ctx = adminContext(context.currentAdmin, request);
        // AdminJS's record.update() stores the payload before reading the record id, so a posted
        // `id` would redirect the write to another row: the primary key never comes from the form.
        const { id: _ignored, ...payload } = (request.payload ?? {}) as Record<string, unknown>;
        return withTransaction(ctx, (_tx, txCtx) => {
          (context as ActionContext & { loopin?: unknown }).loopin = txCtx;
          return inner({ ...request, payload }, response, context);
        });
      },
    } as ActionOptions;
  }
  return out;
}
