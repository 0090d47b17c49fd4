import { z } from '../../lib/zod.js';
import { HOST_EVENT_TYPES, WEBHOOK_DELIVERY_STATUSES } from '../../models/index.js';
import { PageQuery, page } from '../../http/pagination.js';

export const EndpointParams = z.object({ uuid: z.string().max(100) });
export const DeliveryParams = z.object({ uuid: z.string().max(100), delivery: z.string().max(100) });

export const CreateEndpointBody = z.strictObject({
  url: z.string().max(2000).openapi({ description: 'http(s) URL of your receiver; private and loopback addresses are refused' }),
  events: z.array(z.enum(HOST_EVENT_TYPES)).min(1).max(HOST_EVENT_TYPES.length)
    .refine((e) => new Set(e).size === e.length, 'must not repeat a type'),
}).openapi('CreateWebhookEndpointBody');

export const EndpointOut = z.object({
  uuid: z.uuid(),
  url: z.string(),
  events: z.array(z.enum(HOST_EVENT_TYPES)),
  is_active: z.boolean().openapi({ description: 'false once disabled after a day of failed deliveries' }),
  disabled_at: z.string().nullable().openapi({ format: 'date-time' }),
  disabled_reason: z.string().nullable(),
  created_at: z.string().openapi({ format: 'date-time' }),
}).openapi('WebhookEndpoint');

export const CreatedEndpointOut = EndpointOut.extend({
  secret: z.string().openapi({ description: 'Signing secret (`whsec_…`), shown this once; verify deliveries with it' }),
}).openapi('CreatedWebhookEndpoint');

export const EndpointPage = page(EndpointOut).openapi('WebhookEndpointPage');

export const DeliveryOut = z.object({
  uuid: z.uuid(),
  webhook_id: z.string().openapi({ description: 'The `webhook-id` header: the same on every retry' }),
  type: z.enum(HOST_EVENT_TYPES),
  status: z.enum(WEBHOOK_DELIVERY_STATUSES),
  attempts: z.number().int().min(0),
  last_status_code: z.number().int().nullable(),
  last_error: z.string().nullable(),
  last_attempt_at: z.string().nullable().openapi({ format: 'date-time' }),
  next_attempt_at: z.string().nullable().openapi({ format: 'date-time' }),
  delivered_at: z.string().nullable().openapi({ format: 'date-time' }),
  created_at: z.string().openapi({ format: 'date-time' }),
}).openapi('WebhookDelivery');

export const DeliveryPage = page(DeliveryOut).openapi('WebhookDeliveryPage');
export const ListQuery = PageQuery;
