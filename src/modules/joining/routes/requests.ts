import type { Router } from 'express';
import { endpoint } from '../../../http/endpoint.js';
import { toPage } from '../../../http/pagination.js';
import {
  acceptRequest, cancelRequest, createRequest, declineRequest, listEventRequests, listMyRequests, listWaitlist, removeFromWaitlist,
} from '../commands/index.js';
import { presentAcceptOrWaitlist, presentRequest } from '../presenter.js';
import {
  AcceptOrWaitlistOut, CreateRequestBody, EventItemParams, EventParams, HostMessageBody, ItemParams, RequestListQuery, RequestOut, RequestPage,
} from '../schema.js';
import { PageQuery } from '../../../http/pagination.js';

const tags = ['Joining'];

export function mountRequestRoutes(router: Router): void {
  endpoint(router, {
    method: 'post', path: '/events/{event}/requests', summary: 'Ask to join an event', tags, auth: 'required',
    params: EventParams, body: CreateRequestBody, status: 201, response: RequestOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => presentRequest(await createRequest(ctx, {
      eventRef: params.event, message: body.message, seatsRequested: body.seats_requested,
    })),
  });

  endpoint(router, {
    method: 'get', path: '/events/{event}/requests', summary: 'Requests to join an event (host, staff)', tags, auth: 'required',
    params: EventParams, query: RequestListQuery, response: RequestPage, errors: [403, 404],
    handler: async ({ params, query, ctx }) => {
      const page = await listEventRequests(ctx, params.event, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
      return toPage(page.rows, page.size, presentRequest, page.cursorOf);
    },
  });

  endpoint(router, {
    method: 'get', path: '/requests', summary: 'My requests to join events', tags, auth: 'required',
    query: RequestListQuery, response: RequestPage,
    handler: async ({ query, ctx }) => {
      const page = await listMyRequests(ctx, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
      return toPage(page.rows, page.size, presentRequest, page.cursorOf);
    },
  });

  endpoint(router, {
    method: 'post', path: '/requests/{uuid}/cancel', summary: 'Withdraw my pending request, or leave the waitlist', tags, auth: 'required',
    params: ItemParams, response: RequestOut, errors: [404, 409],
    handler: async ({ params, ctx }) => presentRequest(await cancelRequest(ctx, { requestUuid: params.uuid })),
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/requests/{uuid}/accept', tags, auth: 'required',
    summary: 'Accept a request (host, staff): free event → attendee; paid event → seats held while the requester pays; '
      + 'full event with waitlist_enabled → waitlisted',
    params: EventItemParams, body: HostMessageBody, response: AcceptOrWaitlistOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => presentAcceptOrWaitlist(await acceptRequest(ctx, {
      eventRef: params.event, requestUuid: params.uuid, hostMessage: body.host_message,
    })),
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/requests/{uuid}/decline', summary: 'Decline a request (host, staff)', tags, auth: 'required',
    params: EventItemParams, body: HostMessageBody, response: RequestOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => presentRequest(await declineRequest(ctx, {
      eventRef: params.event, requestUuid: params.uuid, hostMessage: body.host_message,
    })),
  });

  endpoint(router, {
    method: 'get', path: '/events/{event}/waitlist', summary: 'The waitlist of an event in order, with positions (host, staff)', tags,
    auth: 'required', params: EventParams, query: PageQuery, response: RequestPage, errors: [403, 404],
    handler: async ({ params, query, ctx }) => {
      const page = await listWaitlist(ctx, params.event, { cursor: query.cursor, pageSize: query.page_size });
      return toPage(page.rows, page.size, presentRequest, page.cursorOf);
    },
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/waitlist/{uuid}/remove', tags, auth: 'required',
    summary: 'Take a request off the waitlist (host, staff): it becomes declined and the requester is told',
    params: EventItemParams, body: HostMessageBody, response: RequestOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => presentRequest(await removeFromWaitlist(ctx, {
      eventRef: params.event, requestUuid: params.uuid, hostMessage: body.host_message,
    })),
  });
}
