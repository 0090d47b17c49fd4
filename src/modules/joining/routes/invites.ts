import type { Router } from 'express';
import { endpoint } from '../../../http/endpoint.js';
import { toPage } from '../../../http/pagination.js';
import { acceptInvite, createInvite, createShareLink, declineInvite, listMyInvites, redeemShareLink, revokeShareLink } from '../commands/index.js';
import { presentInvite, presentInviteAcceptance } from '../presenter.js';
import {
  AcceptInviteOut, CreateInviteBody, EventItemParams, EventParams, InviteListQuery, InviteOut, InvitePage, ItemParams,
  RedeemShareLinkBody, ShareLinkBody, ShareLinkOut,
} from '../schema.js';

const tags = ['Joining'];

export function mountInviteRoutes(router: Router): void {
  endpoint(router, {
    method: 'post', path: '/events/{event}/invites', summary: 'Invite a user (host, staff); one invite per user per event', tags,
    auth: 'required', params: EventParams, body: CreateInviteBody, status: 201, response: InviteOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => presentInvite(await createInvite(ctx, {
      eventRef: params.event, invitedUserUuid: body.invited_user, message: body.message, expiresAt: body.expires_at,
    }), ctx.now()),
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/invites/share-link', tags, auth: 'required',
    summary: 'Create a share link (host, staff): usable by many until it expires or is revoked; the token is shown once',
    params: EventParams, body: ShareLinkBody, status: 201, response: ShareLinkOut, errors: [403, 404, 409],
    handler: async ({ params, body, ctx }) => {
      const { invite, token, url } = await createShareLink(ctx, { eventRef: params.event, message: body.message, expiresAt: body.expires_at });
      return { ...presentInvite(invite, ctx.now()), token, url };
    },
  });

  endpoint(router, {
    method: 'post', path: '/events/{event}/invites/{uuid}/revoke', summary: 'Revoke a share link (host, staff)', tags,
    auth: 'required', params: EventItemParams, response: InviteOut, errors: [403, 404, 409],
    handler: async ({ params, ctx }) => presentInvite(await revokeShareLink(ctx, { eventRef: params.event, inviteUuid: params.uuid }), ctx.now()),
  });

  endpoint(router, {
    method: 'post', path: '/invites/share-link/accept', tags, auth: 'required',
    summary: 'Redeem a share link: creates my own invite and accepts it (attendee on a free event, a seat hold on a paid one)',
    body: RedeemShareLinkBody, response: AcceptInviteOut, errors: [403, 404, 409],
    handler: async ({ body, ctx }) => presentInviteAcceptance(await redeemShareLink(ctx, { token: body.token }), ctx.now()),
  });

  endpoint(router, {
    method: 'get', path: '/invites', summary: 'My invites', tags, auth: 'required', query: InviteListQuery, response: InvitePage,
    handler: async ({ query, ctx }) => {
      const page = await listMyInvites(ctx, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
      return toPage(page.rows, page.size, (i) => presentInvite(i, ctx.now()), page.cursorOf);
    },
  });

  endpoint(router, {
    method: 'post', path: '/invites/{uuid}/accept', tags, auth: 'required',
    summary: 'Accept my invite: attendee on a free event, a seat hold on a paid one; expired → 409',
    params: ItemParams, response: AcceptInviteOut, errors: [404, 409],
    handler: async ({ params, ctx }) => presentInviteAcceptance(await acceptInvite(ctx, { inviteUuid: params.uuid }), ctx.now()),
  });

  endpoint(router, {
    method: 'post', path: '/invites/{uuid}/decline', summary: 'Decline my invite', tags, auth: 'required',
    params: ItemParams, response: InviteOut, errors: [404, 409],
    handler: async ({ params, ctx }) => presentInvite(await declineInvite(ctx, { inviteUuid: params.uuid }), ctx.now()),
  });
}
