import { enableEndpoint, redeliver } from '../../src/modules/webhooks/commands.js';
import { commandAction } from './define.js';

/** Panel doors to the webhooks commands (POST only, through ConfirmCommand). */
export const deliveryActions = {
  redeliver: commandAction({
    label: 'Redeliver', icon: 'RefreshCw',
    confirm: 'Send this delivery again: same webhook-id and body, a fresh 24-hour retry window.',
    isVisible: (p) => p.status !== 'pending',
    run: async (ctx, params) => {
      const d = await redeliver(ctx, { deliveryUuid: String(params.uuid) });
      return `Delivery ${d.uuid} queued again`;
    },
  }),
};

export const endpointActions = {
  enable: commandAction({
    label: 'Enable', icon: 'Power',
    confirm: 'Turn this endpoint back on; new events are delivered to it again.',
    isVisible: (p) => p.is_active === false || p.is_active === 'false',
    run: async (ctx, params) => {
      const e = await enableEndpoint(ctx, String(params.uuid));
      return `Endpoint ${e.url} enabled`;
    },
  }),
};
