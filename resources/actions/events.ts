import { transitionEvent } from '../../src/modules/events/commands/index.js';
import { canTransition, type EventAction } from '../../src/modules/events/lifecycle.js';
import type { EventStatus } from '../../src/models/index.js';
import { commandAction, type CommandActionOptions } from './define.js';
import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import type { CommandActions } from './types.js';

/**
 * One lifecycle button: shown only where lifecycle.ts allows the move (the command re-checks under
 * a row lock anyway), running the same command as POST /api/events/{event}/{action}. The record's
 * `uuid` addresses the event exactly as the API does.
 */
function lifecycleAction(action: EventAction, done: string, o: Omit<CommandActionOptions, 'run' | 'isVisible'>) {
  return commandAction({
    ...o,
    isVisible: (params) => canTransition(String(params.status) as EventStatus, action),
    run: async (ctx, params, payload) => {
      await transitionEvent(ctx, String(params.uuid), action, { reason: payload.reason?.trim() || null });
      return done;
    },
  });
}

/** AdminJS actions on EVENT (publish / cancel / postpone / complete), calling the events commands. */
export const eventActions: CommandActions = {
  publish: lifecycleAction('publish', 'Event published', {
    label: 'Publish', icon: 'Send', variant: 'primary',
    confirm: 'Publish this event? It becomes visible in discovery (it needs a cover image, 1–5 interests and a future start).',
  }),
  postpone: lifecycleAction('postpone', 'Event postponed', {
    label: 'Postpone', icon: 'Clock', confirm: 'Postpone this event? Everyone going is notified.',
  }),
  cancel: lifecycleAction('cancel', 'Event cancelled', {
    label: 'Cancel event', icon: 'XCircle', variant: 'danger',
    confirm: 'Cancel this event? Attendees and pending requesters are notified, requests and invites expire, '
      + 'seat holds are released and paid orders are queued for refund. This cannot be undone.',
    fields: [{ name: 'reason', label: 'Reason (sent to attendees)', type: 'textarea' }],
  }),
  complete: lifecycleAction('complete', 'Event completed', {
    label: 'Complete', icon: 'CheckCircle', confirm: 'Mark this event as completed?',
  }),
  // Read-only: opens the event's waitlist, the requests list filtered and in waitlist order.
  waitlist: {
    actionType: 'record', label: 'Waitlist', icon: 'List', component: false,
    handler: async (_request: ActionRequest, _response: unknown, { record, h, currentAdmin }: ActionContext): Promise<ActionResponse> => ({
      record: record!.toJSON(currentAdmin),
      redirectUrl: h.resourceUrl({
        resourceId: 'event_request',
        search: `?filters.event_id=${encodeURIComponent(String(record!.id()))}&filters.status=waitlisted&sortBy=waitlist_seq&direction=asc`,
      }),
    }),
  },
};
