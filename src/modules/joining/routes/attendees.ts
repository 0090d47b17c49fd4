import type { Router } from 'express';
import { endpoint } from '../../../http/endpoint.js';
import { toPage } from '../../../http/pagination.js';
import { cancelAttendee, listAttendees } from '../commands/index.js';
import { presentAttendee } from '../presenter.js';
import { AttendeeListQuery, AttendeeOut, AttendeePage, EventItemParams, EventParams } from '../schema.js';

const tags = ['Joining'];

export function mountAttendeeRoutes(router: Router): void {
  endpoint(router, {
    method: 'get', path: '/events/{event}/attendees', summary: 'Attendees of an event (host, staff)', tags, auth: 'required',
    params: EventParams, query: AttendeeListQuery, response: AttendeePage, errors: [403, 404],
    handler: async ({ params, query, ctx }) => {
      const page = await listAttendees(ctx, params.event, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
      return toPage(page.rows, page.size, presentAttendee, page.cursorOf);
    },
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/attendees/{uuid}/cancel', tags, auth: 'required',
    summary: 'Cancel an attendance (the attendee → not_going, or the host/staff → cancelled); the seats are free at once',
    params: EventItemParams, response: AttendeeOut, errors: [404, 409],
    handler: async ({ params, ctx }) => presentAttendee(await cancelAttendee(ctx, { eventRef: params.event, attendeeUuid: params.uuid })),
  });
}
