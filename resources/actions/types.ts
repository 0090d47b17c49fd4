import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';

/** A resource's extra actions, keyed by action name (spread into the resource's `actions`). */
export type CommandActions = Record<string, {
  actionType: 'record' | 'bulk' | 'resource';
  handler: (request: ActionRequest, response: unknown, context: ActionContext) => Promise<ActionResponse>;
  [option: string]: unknown;
}>;
