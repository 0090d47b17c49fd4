import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { PageQuery, toPage } from '../../http/pagination.js';
import { z } from '../../lib/zod.js';
import {
  checkIn, checkinCounts, checkOut, doorList, getMyTicket, issueCheckinOtp, listMyTickets, syncScans, ticketQrPayload,
} from './commands/index.js';
import { presentDoorEntry, presentDoorTicket, presentScanResult, presentTicket } from './presenter.js';
import {
  CheckinBody, CheckinCountsOut, CheckinOtpOut, CheckoutBody, DoorListPage, DoorTicketOut, EventParams, JwksOut, SyncBody, SyncOut,
  TicketListQuery, TicketOut, TicketPage, TicketParams,
} from './schema.js';
import { checkinJwks } from './signing.js';

export const router = Router();
const tickets = ['Tickets'];
const door = ['Check-in'];
// A ticket's code and QR are as good as the ticket: never cached by anything on the way.
const PRIVATE = 'private, no-store';

endpoint(router, {
  method: 'get', path: '/tickets', summary: 'My tickets, newest first, with their door code and QR payload', tags: tickets, auth: 'required',
  query: TicketListQuery, response: TicketPage,
  handler: async ({ query, ctx, res }) => {
    res.set('Cache-Control', PRIVATE);
    const page = await listMyTickets(ctx, { cursor: query.cursor, pageSize: query.page_size, status: query.status });
    return toPage(page.rows, page.size, presentTicket, page.cursorOf);
  },
});

endpoint(router, {
  method: 'get', path: '/tickets/{uuid}', summary: 'One of my tickets', tags: tickets, auth: 'required',
  params: TicketParams, response: TicketOut, errors: [404],
  handler: async ({ params, ctx, res }) => {
    res.set('Cache-Control', PRIVATE);
    return presentTicket(await getMyTicket(ctx, params.uuid));
  },
});

endpoint(router, {
  method: 'get', path: '/tickets/{uuid}/qr', tags: tickets, auth: 'required', params: TicketParams, errors: [404, 409],
  summary: 'The QR code of my ticket (its qr_payload): SVG, or PNG with `Accept: image/png`; a void ticket 409',
  media: { 'image/svg+xml': z.string(), 'image/png': z.string().openapi({ format: 'binary' }) },
  handler: async ({ params, ctx, req, res }) => {
    const payload = await ticketQrPayload(ctx, params.uuid);
    res.set('Cache-Control', PRIVATE).vary('Accept');
    // Loaded with the first QR code asked for, not at start.
    const { default: QRCode } = await import('qrcode');
    if (req.accepts(['image/svg+xml', 'image/png']) === 'image/png') {
      res.type('image/png').send(await QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, width: 512 }));
    } else {
      res.type('image/svg+xml').send(await QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }));
    }
  },
});

endpoint(router, {
  method: 'post', path: '/tickets/{uuid}/otp', tags: tickets, auth: 'required', params: TicketParams, response: CheckinOtpOut,
  errors: [404, 409, 422, 429],
  summary: 'A one-time check-in code for my ticket (6 digits, 5 minutes, single use); a new one voids the old',
  handler: async ({ params, ctx, res }) => {
    res.set('Cache-Control', PRIVATE);
    const otp = await issueCheckinOtp(ctx, params.uuid);
    return { otp_code: otp.otp_code, expires_at: otp.expires_at.toISOString() };
  },
});

endpoint(router, {
  method: 'get', path: '/checkin/keys', tags: door, auth: 'none', response: JwksOut,
  summary: 'The public keys (JWKS) that verify qr_payloads offline; rotated-out keys stay listed by kid',
  handler: async ({ res }) => {
    res.set('Cache-Control', 'public, max-age=300');
    return checkinJwks();
  },
});

endpoint(router, {
  method: 'post', path: '/events/{event}/checkin', tags: door, auth: 'required', params: EventParams, body: CheckinBody,
  response: DoorTicketOut, errors: [403, 404, 409, 422, 429],
  summary: 'Check a ticket in (host, staff) by its code, its QR payload, or ticket + one-time code; a second time is 409 with the first time',
  handler: async ({ params, body, ctx }) => presentDoorTicket(await checkIn(ctx, params.event, body)),
});

endpoint(router, {
  method: 'post', path: '/events/{event}/checkout', tags: door, auth: 'required', params: EventParams, body: CheckoutBody,
  response: DoorTicketOut, errors: [403, 404, 409],
  summary: 'Check a checked-in ticket out (host, staff): sets checked_out_at once',
  handler: async ({ params, body, ctx }) => presentDoorTicket(await checkOut(ctx, params.event, body.ticket)),
});

endpoint(router, {
  method: 'post', path: '/events/{event}/checkins/sync', tags: door, auth: 'required', params: EventParams, body: SyncBody,
  response: SyncOut, errors: [403, 404],
  summary: 'Upload an offline door\'s scans (host, staff): idempotent per scan_id; the earliest scan of a ticket is its check-in time',
  handler: async ({ params, body, ctx }) => ({ results: (await syncScans(ctx, params.event, body.scans)).map(presentScanResult) }),
});

endpoint(router, {
  method: 'get', path: '/events/{event}/door-list', tags: door, auth: 'required', params: EventParams, query: PageQuery,
  response: DoorListPage, errors: [403, 404],
  summary: 'Every ticket of the event for an offline door (host, staff): uuid, seats, status, fingerprint — no secrets; oldest first',
  handler: async ({ params, query, ctx }) => {
    const page = await doorList(ctx, params.event, { cursor: query.cursor, pageSize: query.page_size });
    return toPage(page.rows, page.size, presentDoorEntry, page.cursorOf);
  },
});

endpoint(router, {
  method: 'get', path: '/events/{event}/checkins', tags: door, auth: 'required', params: EventParams, response: CheckinCountsOut,
  errors: [403, 404], summary: 'Seat counts at the door (host, staff): going, checked in, checked out',
  handler: async ({ params, ctx }) => checkinCounts(ctx, params.event),
});
