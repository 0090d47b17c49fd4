import { Router } from 'express';
import { endpoint } from '../../../http/endpoint.js';
import { PageQuery } from '../../../http/pagination.js';
import { compileSerializer } from '../../../lib/fast-json.js';
import { z } from '../../../lib/zod.js';
import { createEvent, deleteEvent, transitionEvent, updateEvent } from '../commands/index.js';
import { discoverEvents } from '../discovery.js';
import { registerImageRoutes } from './images.js';
import { listInterests } from '../interests.js';
import { EVENT_ACTIONS } from '../lifecycle.js';
import { findVisibleEvent } from '../policy.js';
import { presentEventDetail } from '../presenter.js';
import { loadEventDetail } from '../views.js';
import { EventBody, EventDetail, EventListQuery, EventPage, EventParams, EventPatch, InterestPage } from '../schema.js';

/** Interests and events API: discovery, CRUD, lifecycle and images. Each handler calls one command. */
export const router = Router();
const tags = ['Events'];
const eventPageJson = compileSerializer(EventPage);

endpoint(router, {
  method: 'get', path: '/interests', summary: 'List active interests', tags: ['Interests'], auth: 'none',
  query: PageQuery, response: InterestPage,
  handler: ({ query }) => listInterests(query),
});

endpoint(router, {
  method: 'get', path: '/events', tags, auth: 'optional', query: EventListQuery, response: EventPage,
  summary: 'Discover published public events (or your own with mine=true)',
  // The hottest read: serialized by a function compiled from EventPage itself (src/lib/fast-json.ts).
  handler: async ({ ctx, query, res }) => {
    res.type('application/json').send(eventPageJson(await discoverEvents(ctx, query)));
  },
});

endpoint(router, {
  method: 'post', path: '/events', summary: 'Create a draft event', tags, auth: 'required', status: 201,
  body: EventBody, response: EventDetail,
  handler: async ({ ctx, body }) => presentEventDetail(await loadEventDetail(await createEvent(ctx, body))),
});

endpoint(router, {
  method: 'get', path: '/events/{event}', summary: 'Read an event by uuid or slug', tags, auth: 'optional',
  params: EventParams, response: EventDetail, errors: [404],
  handler: async ({ ctx, params }) => presentEventDetail(await loadEventDetail(await findVisibleEvent(ctx.actor, params.event))),
});

// PUT replaces the details: optional fields left out are cleared.
const cleared = { venue: null, venue_text: null, gst_number: null };
endpoint(router, {
  method: 'put', path: '/events/{event}', summary: 'Replace the details of an event (host or staff)', tags, auth: 'required',
  params: EventParams, body: EventBody, response: EventDetail, errors: [403, 404, 409],
  handler: async ({ ctx, params, body }) => presentEventDetail(await loadEventDetail(await updateEvent(ctx, params.event, { ...cleared, ...body }))),
});

endpoint(router, {
  method: 'patch', path: '/events/{event}', summary: 'Change some details of an event (host or staff)', tags, auth: 'required',
  params: EventParams, body: EventPatch, response: EventDetail, errors: [403, 404, 409],
  handler: async ({ ctx, params, body }) => presentEventDetail(await loadEventDetail(await updateEvent(ctx, params.event, body))),
});

endpoint(router, {
  method: 'delete', path: '/events/{event}', tags, auth: 'required', status: 204, params: EventParams, errors: [403, 404, 409],
  summary: 'Delete an event (host or staff): cancelled with every cancellation effect, and hidden',
  handler: async ({ ctx, params }) => {
    await deleteEvent(ctx, params.event);
  },
});

const CancelBody = z.object({ reason: z.string().trim().max(500).optional() }).strict().openapi('EventCancelBody');
for (const action of EVENT_ACTIONS) {
  endpoint(router, {
    method: 'post', path: `/events/{event}/${action}`, tags, auth: 'required', params: EventParams,
    ...(action === 'cancel' ? { body: CancelBody } : {}),
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} an event (host or staff); an invalid transition is 409`,
    response: EventDetail, errors: action === 'publish' ? [403, 404, 409, 422] : [403, 404, 409],
    handler: async ({ ctx, params, body }) => {
      const reason = (body as { reason?: string } | undefined)?.reason;
      return presentEventDetail(await loadEventDetail(await transitionEvent(ctx, params.event, action, { reason })));
    },
  });
}

registerImageRoutes(router, tags);
