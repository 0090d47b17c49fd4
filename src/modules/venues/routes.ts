import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { createVenue, deleteVenue, findVenue, updateVenue } from './commands.js';
import { presentVenue } from './presenter.js';
import { listVenues } from './queries.js';
import { VenueBody, VenueListQuery, VenueOut, VenuePage, VenueParams, VenuePatch } from './schema.js';

/** Venues API: list and read for everyone; writes by the creator or staff. */
export const router = Router();
const tags = ['Venues'];

endpoint(router, {
  method: 'get', path: '/venues', summary: 'List active venues', tags, auth: 'none',
  query: VenueListQuery, response: VenuePage,
  handler: ({ query }) => listVenues(query),
});

endpoint(router, {
  method: 'post', path: '/venues', summary: 'Create a venue', tags, auth: 'required', status: 201,
  body: VenueBody, response: VenueOut,
  handler: async ({ ctx, body }) => presentVenue(await createVenue(ctx, body)),
});

endpoint(router, {
  method: 'get', path: '/venues/{uuid}', summary: 'Read a venue', tags, auth: 'optional',
  params: VenueParams, response: VenueOut, errors: [404],
  handler: async ({ ctx, params }) => presentVenue(await findVenue(ctx, params.uuid)),
});

// PUT replaces: optional fields left out are cleared.
const cleared = { address: null, city: null, latitude: null, longitude: null, metadata: {} };
endpoint(router, {
  method: 'put', path: '/venues/{uuid}', summary: 'Replace a venue (creator or staff)', tags, auth: 'required',
  params: VenueParams, body: VenueBody, response: VenueOut, errors: [403, 404],
  handler: async ({ ctx, params, body }) => presentVenue(await updateVenue(ctx, params.uuid, { ...cleared, ...body })),
});

endpoint(router, {
  method: 'patch', path: '/venues/{uuid}', summary: 'Change some fields of a venue (creator or staff)', tags, auth: 'required',
  params: VenueParams, body: VenuePatch, response: VenueOut, errors: [403, 404],
  handler: async ({ ctx, params, body }) => presentVenue(await updateVenue(ctx, params.uuid, body)),
});

endpoint(router, {
  method: 'delete', path: '/venues/{uuid}', tags, auth: 'required', status: 204, errors: [403, 404],
  summary: 'Delete a venue (creator or staff): deactivated when events use it, removed otherwise',
  params: VenueParams,
  handler: async ({ ctx, params }) => {
    await deleteVenue(ctx, params.uuid);
  },
});
