import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { findWatchableEvent, readAvailability } from './commands/index.js';
import { availabilityHub, clientKey } from './hub.js';
import { presentAvailability } from './presenter.js';
import { AvailabilityOut, AvailabilityStream, EventParams } from './schema.js';

/** Live availability of an event: its figures now, and as a Server-Sent Events stream of every change. */
export const router = Router();
const tags = ['Availability'];

endpoint(router, {
  method: 'get', path: '/events/{event}/availability', tags, auth: 'optional', params: EventParams,
  summary: 'Seats of an event: capacity, going, held, available (null when unlimited), waitlisted',
  response: AvailabilityOut, errors: [404],
  handler: async ({ ctx, params }) => presentAvailability(await readAvailability(ctx, params.event)),
});

endpoint(router, {
  method: 'get', path: '/events/{event}/availability/stream', tags, auth: 'optional', params: EventParams,
  summary: 'The availability of an event as Server-Sent Events, on connect and on every change',
  media: { 'text/event-stream': AvailabilityStream }, etag: false, errors: [404, 429, 503],
  handler: async ({ ctx, params, req, res }) => {
    const event = await findWatchableEvent(ctx, params.event);
    availabilityHub(req.app).subscribe(res, event.id, clientKey(req));
  },
});
