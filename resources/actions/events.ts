import { cancelEvent, completeEvent, postponeEvent, publishEvent } from '../../src/modules/events/commands.js';
import { canTransition, type EventAction } from '../../src/modules/events/lifecycle.js';
import type { EventStatus } from '../../src/models/index.js';
import { commandAction } from './define.js';
import type { CommandActions } from './types.js';

/** Shown only where lifecycle.ts allows the move; the command re-checks under a row lock anyway. */
const visibleFor = (action: EventAction) => (params: Record<string, unknown>) =>
  canTransition(String(params.status) as EventStatus, action);

// The record param `uuid` addresses the event exactly as the API does.
const ref = (params: Record<string, unknown>) => String(params.uuid);

/** AdminJS actions on EVENT (publish / cancel / postpone / complete), calling the events commands. */
export const eventActions: CommandActions = {
  publish: commandAction({
    label: 'Publish', icon: 'Send', variant: 'primary', isVisible: visibleFor('publish'),
    confirm: 'Publish this event? It becomes visible in discovery (it needs a cover image, 1–5 interests and a future start).',
    run: async (ctx, params) => {
      await publishEvent(ctx, ref(params));
      return 'Event published';
    },
  }),
  postpone: commandAction({
    label: 'Postpone', icon: 'Clock', isVisible: visibleFor('postpone'),
    confirm: 'Postpone this event? Everyone going is notified.',
    run: async (ctx, params) => {
      await postponeEvent(ctx, ref(params));
      return 'Event postponed';
    },
  }),
  cancel: commandAction({
    label: 'Cancel event', icon: 'XCircle', variant: 'danger', isVisible: visibleFor('cancel'),
    confirm: 'Cancel this event? Attendees and pending requesters are notified, requests and invites expire, '
      + 'seat holds are released and paid orders are queued for refund. This cannot be undone.',
    fields: [{ name: 'reason', label: 'Reason (sent to attendees)', type: 'textarea' }],
    run: async (ctx, params, payload) => {
      await cancelEvent(ctx, ref(params), payload.reason?.trim() || null);
      return 'Event cancelled';
    },
  }),
  complete: commandAction({
    label: 'Complete', icon: 'CheckCircle', isVisible: visibleFor('complete'),
    confirm: 'Mark this event as completed?',
    run: async (ctx, params) => {
      await completeEvent(ctx, ref(params));
      return 'Event completed';
    },
  }),
};
