import {
  ACTIONS, type ActionContext, type ActionRequest, type ActionResponse, type BaseResource, type RecordJSON, type ResourceOptions,
} from 'adminjs';
import { withTransaction } from '../db/transaction.js';
import { adminContext } from './context.js';
import { LoopinResource } from './resource.js';
import { ownedWrites } from './writes.js';

type Handler = (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;
type After = (response: ActionResponse, request: ActionRequest, context: ActionContext) => Promise<ActionResponse>;
type ActionOptions = Record<string, unknown> & { handler?: Handler; after?: After | After[]; isAccessible?: unknown };

const WRITES = { new: 'create', edit: 'update', delete: 'delete', bulkDelete: 'delete' } as const;
const BUILT_IN = ['list', 'show', 'search', 'new', 'edit', 'delete', 'bulkDelete'];

/**
 * The panel's write discipline, applied once to every resource by adminResources:
 * - new/edit/delete exist only where a domain command owns that write (otherwise not accessible);
 * - their POST runs in one transaction whose command context (staff actor, ip, user agent,
 *   session) reaches the command through LoopinResource (src/admin/writes.ts); a GET only renders;
 * - no answer of any action carries a secret column or a form-only field (a password, its hash).
 */
export function withAuditedWrites(actions: ResourceOptions['actions'] = {}, resource?: BaseResource): ResourceOptions['actions'] {
  const out: Record<string, ActionOptions> = { ...(actions as Record<string, ActionOptions>) };
  const loopin = resource instanceof LoopinResource ? resource : null;
  const owned = loopin ? ownedWrites(loopin.rules.commands) : null;
  for (const [name, kind] of Object.entries(WRITES)) {
    const own = (out[name] ?? {}) as ActionOptions;
    if (owned && !owned.has(kind)) {
      out[name] = { ...own, isAccessible: false };
      continue;
    }
    const inner: Handler = own.handler ?? (ACTIONS[name as keyof typeof WRITES].handler as Handler);
    out[name] = {
      ...own,
      handler: async (request: ActionRequest, response: unknown, context: ActionContext) => {
        if (request.method !== 'post') return inner(request, response, context);
        const ctx = adminContext(context.currentAdmin, request);
        // AdminJS's record.update() stores the payload before reading the record id, so a posted
        // `id` would redirect the write to another row: the primary key never comes from the form.
        const { id: _ignored, ...payload } = (request.payload ?? {}) as Record<string, unknown>;
        const answer = await withTransaction(ctx, (_tx, txCtx) => {
          (context as ActionContext & { loopin?: unknown }).loopin = txCtx;
          return inner({ ...request, payload }, response, context);
        });
        return refusalShown(answer);
      },
    };
  }
  if (loopin) {
    const hidden = loopin.hidden();
    for (const name of new Set([...BUILT_IN, ...Object.keys(out)])) {
      const own = (out[name] ?? {}) as ActionOptions;
      const after = own.after ? (Array.isArray(own.after) ? own.after : [own.after]) : [];
      out[name] = { ...own, after: [...after, async (res: ActionResponse) => withoutHidden(res, hidden)] };
    }
  }
  return out;
}

/**
 * AdminJS calls a write successful when no *field* has an error, so a command's refusal without
 * one (an event that is full) would read "successfully updated": its message becomes the notice.
 */
function refusalShown(answer: ActionResponse): ActionResponse {
  const base = (answer.record as RecordJSON | undefined)?.baseError;
  if (!base?.message) return answer;
  const { redirectUrl: _stay, ...rest } = answer;
  return { ...rest, notice: { message: base.message, type: 'error' } };
}

/** Drops hidden names (and anything shaped like a password hash) from the records of an answer. */
function withoutHidden(response: ActionResponse, hidden: string[]): ActionResponse {
  const clean = (record: RecordJSON | undefined) => {
    if (!record) return;
    for (const key of Object.keys(record.params ?? {})) {
      const value = record.params[key];
      if (hidden.some((h) => key === h || key.startsWith(`${h}.`)) || (typeof value === 'string' && value.startsWith('$argon2'))) {
        delete record.params[key];
      }
    }
    for (const populated of Object.values(record.populated ?? {})) clean(populated as RecordJSON);
  };
  clean(response.record as RecordJSON | undefined);
  for (const record of (response.records ?? []) as RecordJSON[]) clean(record);
  return response;
}
