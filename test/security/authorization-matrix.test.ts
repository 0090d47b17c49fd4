import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.js';
import { api, bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildOrder, buildInvite, buildNotification, buildRequest, buildStaff, buildUser, buildVenue } from '../support/factories.js';
import { buildImage } from '../support/more-factories.js';
import { WebhookEndpoint } from '../../src/models/index.js';
import { untilFirstEvent } from '../support/sse.js';

/**
 * The authorization matrix (issue 15): every route that takes an object, called by a stranger, by
 * the host of another event, anonymously and by staff, on public, private, draft and cancelled
 * objects — the expected status of every cell. Sub-objects (requests, invites, attendees, images,
 * notifications) belong to a third person. A route in the OpenAPI document that is not in MATRIX
 * fails the first test: whoever adds a route says here who may call it.
 */
type Who = 'anonymous' | 'stranger' | 'otherHost' | 'staff';
type Vis = 'public' | 'private' | 'draft' | 'cancelled';
type Expect = (who: Who, vis: Vis) => number[];
type Target = 'request' | 'invite' | 'shareLink' | 'attendee' | 'ticket' | 'order' | 'image' | 'notification' | 'venue' | 'webhook';
/** `stream`: the route answers Server-Sent Events; its cell reads up to the first event, then hangs up. */
interface Cell { expect: Expect; uuid?: Target; body?: (f: Fixture) => object; stream?: boolean }

const WHO: Who[] = ['anonymous', 'stranger', 'otherHost', 'staff'];
const VIS: Vis[] = ['public', 'private', 'draft', 'cancelled'];
/** Authorized: past 401/403/404, whatever the state then says. */
const PASSES = [200, 201, 204, 400, 409, 422];
const seen = (vis: Vis) => vis === 'public' || vis === 'cancelled';

const read: Expect = (who, vis) => (who === 'staff' || seen(vis) ? [200] : [404]);
const hostWrite: Expect = (who, vis) => (who === 'anonymous' ? [401] : who === 'staff' ? PASSES : seen(vis) ? [403] : [404]);
/** A third person's request/attendee under the event: strangers do not know it exists. */
const manageThirdParty: Expect = (who) => (who === 'anonymous' ? [401] : who === 'staff' ? PASSES : [404]);
/** Only the person it belongs to (not staff, not the host): everyone else 404. */
const ownerOnly: Expect = (who) => (who === 'anonymous' ? [401] : [404]);
/** The owner's; staff and the host see it (403 for what only the owner may do); strangers 404. */
const ownerActsOthersSee: Expect = (who) => (who === 'anonymous' ? [401] : who === 'staff' ? [403] : [404]);
/** A key nobody was given: public by unguessable URL, so unknown keys are 404 to everyone. */
const unknownToAll: Expect = () => [404];
const join: Expect = (who, vis) => (who === 'anonymous' ? [401] : who === 'staff' ? PASSES
  : vis === 'public' ? [201] : vis === 'cancelled' ? [409, 422] : [404]);
// Venues have no private or draft state: "private", "draft" and "cancelled" are an inactive venue.
const venueRead: Expect = (who, vis) => (who === 'staff' || vis === 'public' ? [200] : [404]);
const venueWrite: Expect = (who, vis) => (who === 'anonymous' ? [401] : who === 'staff' ? PASSES : vis === 'public' ? [403] : [404]);

interface Fixture {
  host: { uuid: string }; third: { uuid: string }; uuids: Record<Target, string>; event: { uuid: string; start_time: Date };
}

const eventBody = (f: Fixture) => ({
  title: 'Matrix night', description: 'A long enough description.', start_time: new Date(f.event.start_time).toISOString(),
  end_time: new Date(new Date(f.event.start_time).getTime() + 3_600_000).toISOString(), cover_images: ['https://img.example/c.jpg'],
  event_interests: ['music'],
});

export const MATRIX: Record<string, Cell> = {
  'GET /venues/{uuid}': { expect: venueRead, uuid: 'venue' },
  'PUT /venues/{uuid}': { expect: venueWrite, uuid: 'venue', body: () => ({ name: 'Matrix Hall' }) },
  'PATCH /venues/{uuid}': { expect: venueWrite, uuid: 'venue', body: () => ({ city: 'Pune' }) },
  'DELETE /venues/{uuid}': { expect: venueWrite, uuid: 'venue' },
  'GET /events/{event}': { expect: read },
  'PUT /events/{event}': { expect: hostWrite, body: eventBody },
  'PATCH /events/{event}': { expect: hostWrite, body: () => ({ title: 'Renamed by someone' }) },
  'DELETE /events/{event}': { expect: hostWrite },
  'POST /events/{event}/publish': { expect: hostWrite },
  'POST /events/{event}/postpone': { expect: hostWrite },
  'POST /events/{event}/cancel': { expect: hostWrite, body: () => ({}) },
  'POST /events/{event}/complete': { expect: hostWrite },
  'GET /events/{event}/images': { expect: read },
  'POST /events/{event}/images': { expect: hostWrite, body: () => ({ image_url: 'https://img.example/x.jpg' }) },
  'PUT /events/{event}/images/order': { expect: hostWrite, body: (f) => ({ uuids: [f.uuids.image] }) },
  'DELETE /events/{event}/images/{uuid}': { expect: hostWrite, uuid: 'image' },
  'POST /events/{event}/requests': { expect: join, body: () => ({}) },
  'GET /events/{event}/requests': { expect: hostWrite },
  'POST /requests/{uuid}/cancel': { expect: ownerOnly, uuid: 'request' },
  'POST /events/{event}/requests/{uuid}/accept': { expect: manageThirdParty, uuid: 'request', body: () => ({}) },
  'POST /events/{event}/requests/{uuid}/decline': { expect: manageThirdParty, uuid: 'request', body: () => ({}) },
  'POST /events/{event}/invites': { expect: hostWrite, body: (f) => ({ invited_user: f.third.uuid }) },
  'POST /events/{event}/invites/share-link': { expect: hostWrite, body: () => ({}) },
  'POST /events/{event}/invites/{uuid}/revoke': { expect: hostWrite, uuid: 'shareLink' },
  'POST /invites/{uuid}/accept': { expect: ownerOnly, uuid: 'invite' },
  'POST /invites/{uuid}/decline': { expect: ownerOnly, uuid: 'invite' },
  'GET /events/{event}/attendees': { expect: hostWrite },
  // The waitlist lists third persons: unknown (404) to everyone but the host and staff, as its entries.
  'GET /events/{event}/waitlist': { expect: manageThirdParty },
  'POST /events/{event}/waitlist/{uuid}/remove': { expect: manageThirdParty, uuid: 'request', body: () => ({}) },
  'POST /events/{event}/attendees/{uuid}/cancel': { expect: manageThirdParty, uuid: 'attendee' },
  'POST /notifications/{uuid}/read': { expect: ownerOnly, uuid: 'notification' },
  // Payments: the buyer, the event's host and staff know an order; strangers get 404.
  'GET /payments/orders/{uuid}': { expect: manageThirdParty, uuid: 'order' },
  'POST /payments/orders/{uuid}/cancel': { expect: ownerActsOthersSee, uuid: 'order' },
  'POST /payments/orders/{uuid}/mark-paid': { expect: manageThirdParty, uuid: 'order', body: () => ({ reference: 'CASH-1' }) },
  'POST /payments/orders/{uuid}/refund': { expect: manageThirdParty, uuid: 'order', body: () => ({ reason: 'matrix' }) },
  // Tickets are their owner's alone.
  'GET /tickets/{uuid}': { expect: ownerOnly, uuid: 'ticket' },
  'GET /tickets/{uuid}/qr': { expect: ownerOnly, uuid: 'ticket' },
  'POST /tickets/{uuid}/otp': { expect: ownerOnly, uuid: 'ticket' },
  // The door: host or staff; 403 to those who can see the event, else 404.
  'POST /events/{event}/checkin': { expect: hostWrite, body: () => ({ ticket_secret: 'not-a-real-secret' }) },
  'POST /events/{event}/checkout': { expect: hostWrite, body: (f) => ({ ticket: f.uuids.ticket }) },
  'POST /events/{event}/checkins/sync': {
    expect: hostWrite, body: (f) => ({ scans: [{ scan_id: 's1', ticket: f.uuids.ticket, scanned_at: new Date().toISOString(), device: 'door-1' }] }),
  },
  'GET /events/{event}/door-list': { expect: hostWrite },
  'GET /events/{event}/checkins': { expect: hostWrite },
  // Media: uploads are served by their unguessable key to anyone; an unknown key is 404.
  'GET /uploads/{key}': { expect: unknownToAll },
  // Host webhooks: a host's endpoints are its own (the third person's here); everyone else 404.
  'DELETE /host/webhooks/{uuid}': { expect: ownerOnly, uuid: 'webhook' },
  'POST /host/webhooks/{uuid}/enable': { expect: ownerOnly, uuid: 'webhook' },
  'GET /host/webhooks/{uuid}/deliveries': { expect: ownerOnly, uuid: 'webhook' },
  'POST /host/webhooks/{uuid}/deliveries/{delivery}/redeliver': { expect: ownerOnly, uuid: 'webhook' },
  // Host money: the event's exports are for its host and staff.
  'GET /events/{event}/attendees.csv': { expect: hostWrite },
  'GET /events/{event}/orders.csv': { expect: hostWrite },
  // Availability: whoever may read the event may read and stream its figures.
  'GET /events/{event}/availability': { expect: read },
  'GET /events/{event}/availability/stream': { expect: read, stream: true },
};

const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
const objectRoutes = Object.entries(doc.paths).filter(([p]) => p.includes('{'))
  .flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`));

async function fixture(vis: Vis): Promise<Fixture> {
  const host = await buildUser();
  const third = await buildUser();
  const event = await buildEvent({
    host, is_public: vis !== 'private', status: vis === 'draft' ? 'draft' : vis === 'cancelled' ? 'cancelled' : 'published',
  });
  const [request, invite, shareLink, { attendee, record }, image, notification, venue, order] = await Promise.all([
    buildRequest({ event, requester: third }),
    buildInvite({ event, invitee: await buildUser() }),
    buildInvite({ event, invite_type: 'share_link', invited_user_id: null, token_hash: crypto.randomBytes(16).toString('hex') }),
    buildAttendee({ event, user: await buildUser() }),
    buildImage({ event }),
    buildNotification({ recipient: third }),
    buildVenue({ created_by_id: host.id, is_active: vis === 'public' } as never),
    buildOrder({ event, user: third, amount: '499.00' }),
  ]);
  const webhook = await WebhookEndpoint.create({
    host_id: third.id, url: 'https://hooks.example/matrix', events: ['request.created'], secret_encrypted: 'not-a-real-ciphertext',
  });
  return {
    host, third, event,
    uuids: { request: request.uuid, invite: invite.uuid, shareLink: shareLink.uuid, attendee: attendee.uuid, ticket: record.uuid, order: order.uuid, image: image.uuid, notification: notification.uuid, venue: venue.uuid, webhook: webhook.uuid },
  };
}

describe('authorization matrix', () => {
  it('covers every route of the OpenAPI document that takes an object, and nothing else', () => {
    expect(objectRoutes.filter((r) => !(r in MATRIX)), 'routes missing from MATRIX').toEqual([]);
    expect(Object.keys(MATRIX).filter((r) => !objectRoutes.includes(r)), 'MATRIX rows for routes that no longer exist').toEqual([]);
  });

  it('answers the expected status in every cell', async () => {
    const agent = await api();
    const staff = await buildStaff();
    const otherHost = await buildUser();
    await buildEvent({ host: otherHost });
    const stranger = await buildUser();
    const tokens: Record<Who, string | null> = {
      anonymous: null, stranger: await bearer(stranger), otherHost: await bearer(otherHost), staff: await bearer(staff),
    };
    const wrong: string[] = [];
    let cells = 0;
    for (const route of objectRoutes.filter((r) => r in MATRIX)) {
      const cell = MATRIX[route]!;
      const [method, template] = route.split(' ') as [string, string];
      for (const vis of VIS) {
        const f = await fixture(vis);
        const path = `/api${template.replace('{event}', f.event.uuid).replace('{uuid}', cell.uuid ? f.uuids[cell.uuid] : '')
          .replace('{delivery}', crypto.randomUUID()).replace('{key}', `${crypto.randomUUID()}.png`)}`;
        for (const who of WHO) { // staff last: its calls may change the object
          let req = agent[method.toLowerCase() as 'get'](path);
          if (tokens[who]) req = req.set('Authorization', tokens[who]!);
          if (cell.stream) req = req.buffer(true).parse(untilFirstEvent);
          const res = cell.body ? await req.send(cell.body(f)) : await req;
          cells++;
          const expected = cell.expect(who, vis);
          if (!expected.includes(res.status)) wrong.push(`${route} · ${vis} · ${who}: ${res.status} (expected ${expected.join('|')}) ${res.body?.detail ?? ''}`);
          if (res.status >= 400) expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
        }
      }
    }
    console.log(`authorization matrix: ${Object.keys(MATRIX).length} routes × ${VIS.length} states × ${WHO.length} callers = ${cells} cells, ${wrong.length} wrong`);
    expect(wrong).toEqual([]);
  }, 240_000);
});
