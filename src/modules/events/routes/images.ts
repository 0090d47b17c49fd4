import type { Router } from 'express';
import { endpoint } from '../../../http/endpoint.js';
import { addEventImage, removeEventImage, reorderEventImages } from '../commands/index.js';
import { findVisibleEvent } from '../policy.js';
import { presentImage } from '../presenter.js';
import { imagesOf } from '../views.js';
import { EventParams, ImageBody, ImageList, ImageOrderBody, ImageOut, ImageParams } from '../schema.js';

/** Event gallery: list, add, delete, reorder (positions stay 0..n−1). */
export function registerImageRoutes(router: Router, tags: string[]): void {
  endpoint(router, {
    method: 'get', path: '/events/{event}/images', summary: "List an event's images in order", tags, auth: 'optional',
    params: EventParams, response: ImageList, errors: [404],
    handler: async ({ ctx, params }) => {
      const event = await findVisibleEvent(ctx.actor, params.event);
      return { results: (await imagesOf(event.id)).map(presentImage) };
    },
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/images', summary: 'Add an image at the end (host or staff)', tags, auth: 'required',
    status: 201, params: EventParams, body: ImageBody, response: ImageOut, errors: [403, 404, 409, 422],
    handler: async ({ ctx, params, body }) => presentImage(await addEventImage(ctx, params.event, body.image_url)),
  });

  endpoint(router, {
    method: 'put', path: '/events/{event}/images/order', summary: 'Reorder the images (host or staff)', tags, auth: 'required',
    params: EventParams, body: ImageOrderBody, response: ImageList, errors: [403, 404, 409],
    handler: async ({ ctx, params, body }) => ({ results: (await reorderEventImages(ctx, params.event, body.uuids)).map(presentImage) }),
  });

  endpoint(router, {
    method: 'delete', path: '/events/{event}/images/{uuid}', summary: 'Delete an image (host or staff)', tags, auth: 'required',
    status: 204, params: ImageParams, errors: [403, 404, 409],
    handler: async ({ ctx, params }) => {
      await removeEventImage(ctx, params.event, params.uuid);
    },
  });
}
