import type { WebhookDelivery, WebhookEndpoint, WebhookMessage, HostEventType } from '../../models/index.js';
import { webhookIdOf } from './deliver.js';

const iso = (d: Date | null | undefined): string | null => (d ? new Date(d).toISOString() : null);

export function presentEndpoint(e: WebhookEndpoint) {
  return {
    uuid: e.uuid,
    url: e.url,
    events: e.events,
    is_active: e.is_active,
    disabled_at: iso(e.disabled_at),
    disabled_reason: e.disabled_reason ?? null,
    created_at: new Date(e.created_at).toISOString(),
  };
}

export function presentDelivery(d: WebhookDelivery & { message: WebhookMessage }) {
  return {
    uuid: d.uuid,
    webhook_id: webhookIdOf(d.message.uuid),
    type: d.message.type as HostEventType,
    status: d.status,
    attempts: d.attempts,
    last_status_code: d.last_status_code ?? null,
    last_error: d.last_error ?? null,
    last_attempt_at: iso(d.last_attempt_at),
    next_attempt_at: d.status === 'pending' ? iso(d.next_attempt_at) : null,
    delivered_at: iso(d.delivered_at),
    created_at: new Date(d.created_at).toISOString(),
  };
}
