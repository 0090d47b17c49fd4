import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { toPage } from '../../http/pagination.js';
import { createEndpoint, deleteEndpoint, enableEndpoint, listDeliveries, listEndpoints, redeliver } from './commands.js';
import { presentDelivery, presentEndpoint } from './presenter.js';
import {
  CreateEndpointBody, CreatedEndpointOut, DeliveryOut, DeliveryPage, DeliveryParams, EndpointOut, EndpointPage, EndpointParams, ListQuery,
} from './schema.js';

/** Host webhooks (API.md "Host webhooks"): a host's own endpoints and their delivery logs. */
export const router = Router();
const tags = ['Host webhooks'];

endpoint(router, {
  method: 'post', path: '/host/webhooks', tags, auth: 'required', status: 201, errors: [409],
  summary: 'Register a webhook endpoint for events about my events; the signing secret is in this answer only',
  body: CreateEndpointBody, response: CreatedEndpointOut,
  handler: async ({ ctx, body }) => {
    const { endpoint: e, secret } = await createEndpoint(ctx, body);
    return { ...presentEndpoint(e), secret };
  },
});

endpoint(router, {
  method: 'get', path: '/host/webhooks', tags, auth: 'required', summary: 'My webhook endpoints (never their secrets)',
  query: ListQuery, response: EndpointPage,
  handler: async ({ ctx, query }) => {
    const { rows, cursorOf } = await listEndpoints(ctx, { cursor: query.cursor, pageSize: query.page_size });
    return toPage(rows, query.page_size, presentEndpoint, cursorOf);
  },
});

endpoint(router, {
  method: 'delete', path: '/host/webhooks/{uuid}', tags, auth: 'required', status: 204, errors: [404],
  summary: 'Delete one of my webhook endpoints (and its delivery log)', params: EndpointParams,
  handler: async ({ ctx, params }) => {
    await deleteEndpoint(ctx, params.uuid);
  },
});

endpoint(router, {
  method: 'post', path: '/host/webhooks/{uuid}/enable', tags, auth: 'required', errors: [404],
  summary: 'Enable an endpoint again after it was disabled for failing', params: EndpointParams, response: EndpointOut,
  handler: async ({ ctx, params }) => presentEndpoint(await enableEndpoint(ctx, params.uuid)),
});

endpoint(router, {
  method: 'get', path: '/host/webhooks/{uuid}/deliveries', tags, auth: 'required', errors: [404],
  summary: 'The delivery log of one of my endpoints, newest first (status, attempts, last error)',
  params: EndpointParams, query: ListQuery, response: DeliveryPage,
  handler: async ({ ctx, params, query }) => {
    const { rows, cursorOf } = await listDeliveries(ctx, params.uuid, { cursor: query.cursor, pageSize: query.page_size });
    return toPage(rows, query.page_size, presentDelivery, cursorOf);
  },
});

endpoint(router, {
  method: 'post', path: '/host/webhooks/{uuid}/deliveries/{delivery}/redeliver', tags, auth: 'required', status: 202, errors: [404, 409],
  summary: 'Send a delivery again (same webhook-id and body, a fresh 24-hour retry window)',
  params: DeliveryParams, response: DeliveryOut,
  handler: async ({ ctx, params }) => presentDelivery(await redeliver(ctx, { endpointUuid: params.uuid, deliveryUuid: params.delivery })),
});
