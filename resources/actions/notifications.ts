import type { ActionContext, ActionRequest, ActionResponse } from 'adminjs';
import { adminContext } from '../../src/admin/context.js';
import { Components } from '../../src/admin/component-loader.js';
import { toAppError } from '../../src/http/problem.js';
import { broadcastNotification } from '../../src/modules/notifications/commands/index.js';
import type { CommandActions } from './types.js';

/**
 * AdminJS actions on NOTIFICATION. "Send notification" is a resource-level action (no record):
 * a GET renders the ConfirmCommand form, only its POST calls broadcastNotification — the same
 * command, rules and audit as any other door.
 */
export const notificationActions: CommandActions = {
  sendNotification: {
    actionType: 'resource',
    label: 'Send notification',
    icon: 'Send',
    component: Components.ConfirmCommand,
    custom: {
      confirm: 'Send an in-app notification to an event\'s attendees or to every active user.',
      fields: [
        { name: 'audience', label: 'Send to', type: 'select', required: true, options: [{ value: 'event', label: 'An event\'s attendees' }, { value: 'all', label: 'All active users' }] },
        { name: 'event', label: 'Event (uuid or slug, when sending to its attendees)' },
        { name: 'type', label: 'Type', type: 'select', required: true, options: [{ value: 'promotional', label: 'Promotional' }, { value: 'system', label: 'System' }] },
        { name: 'title', label: 'Title', required: true },
        { name: 'message', label: 'Message', type: 'textarea', required: true },
      ],
    },
    isAccessible: ({ currentAdmin }: ActionContext) => !!currentAdmin,
    handler: async (request: ActionRequest, _response: unknown, context: ActionContext): Promise<ActionResponse> => {
      if (request.method !== 'post') return {};
      const p = Object.fromEntries(Object.entries(request.payload ?? {}).map(([k, v]) => [k, String(v ?? '').trim()]));
      try {
        const { recipients } = await broadcastNotification(adminContext(context.currentAdmin, request), {
          // "All users" must be chosen explicitly: a forgotten event field never widens the audience.
          audience: p.audience === 'all' ? 'all' : { event: p.event ?? '' }, type: p.type, title: p.title, message: p.message,
        });
        return { notice: { message: `Notification sent to ${recipients} recipient(s)`, type: 'success' } };
      } catch (err) {
        const known = toAppError(err);
        if (!known) throw err;
        return { notice: { message: known.message, type: 'error' } };
      }
    },
  },
};
