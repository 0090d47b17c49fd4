import {
  HOST_EVENT_TYPES, MediaUpload, UPLOAD_CONTENT_TYPES, WEBHOOK_DELIVERY_STATUSES, WebhookDelivery, WebhookEndpoint, WebhookMessage,
} from '../src/models/index.js';
import { NAV, choices, jsonShow, newestFirst, readOnlyActions, type ResourceList, withOptions } from '../src/admin/resource-options.js';
import { deliveryActions, endpointActions } from './actions/webhooks.js';

/**
 * Media and host webhooks. Everything here is written by commands only: uploads by POST
 * /api/uploads (or the upload fields of events and profiles), endpoints by their host through the
 * API (the secret is shown to the host once and never read into the panel), the outbox and the
 * delivery log by the commands and the deliver-webhooks job. Staff may redeliver and re-enable.
 */
export const webhooksResources: ResourceList = (make) => [
  withOptions(make(MediaUpload, { immutable: true }), {
    navigation: NAV.media,
    sort: newestFirst,
    listProperties: ['id', 'storage_key', 'owner_id', 'content_type', 'width', 'height', 'byte_size', 'created_at'],
    // By owner or key (both indexed); three content types would not narrow a big table.
    filterProperties: ['owner_id', 'storage_key'],
    properties: { storage_key: { isTitle: true }, content_type: choices(UPLOAD_CONTENT_TYPES) },
    actions: readOnlyActions,
  }),
  withOptions(make(WebhookEndpoint, { immutable: true, secrets: ['secret_encrypted'] }), {
    navigation: NAV.media,
    sort: newestFirst,
    listProperties: ['id', 'url', 'host_id', 'events', 'is_active', 'failing_since', 'disabled_at', 'created_at'],
    filterProperties: ['host_id'], // a host has few endpoints: the host filter (indexed) is the one that narrows
    properties: { url: { isTitle: true }, events: { ...choices(HOST_EVENT_TYPES), isArray: true } },
    actions: { ...readOnlyActions, ...endpointActions },
  }),
  withOptions(make(WebhookMessage, { immutable: true }), {
    navigation: NAV.media,
    sort: newestFirst,
    listProperties: ['id', 'type', 'host_id', 'event_id', 'fanned_out_at', 'created_at'],
    filterProperties: ['host_id', 'event_id', 'type'],
    properties: { uuid: { isTitle: true }, type: choices(HOST_EVENT_TYPES), payload: jsonShow },
    actions: readOnlyActions,
  }),
  withOptions(make(WebhookDelivery, { immutable: true }), {
    navigation: NAV.media,
    sort: newestFirst,
    listProperties: ['id', 'endpoint_id', 'message_id', 'status', 'attempts', 'last_status_code', 'last_error', 'next_attempt_at', 'created_at'],
    filterProperties: ['endpoint_id', 'message_id', 'status'],
    properties: { uuid: { isTitle: true }, status: choices(WEBHOOK_DELIVERY_STATUSES), last_error: { type: 'textarea' } },
    actions: { ...readOnlyActions, ...deliveryActions },
  }),
];
