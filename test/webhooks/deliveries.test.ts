import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setConfig } from '../../src/config.js';
import { clock, DAY, MINUTE } from '../../src/lib/clock.js';
import { Notification, WebhookDelivery, WebhookEndpoint, WebhookMessage } from '../../src/models/index.js';
import { decryptWebhookSecret } from '../../src/modules/webhooks/secret.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';
import { allowPrivate, deliver, original, receiver, registerEndpoint, verified } from './support.js';
import { buildTicket, openEvent } from '../attendance/helpers.js';

let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  rx = await receiver();
});
afterAll(async () => {
  await rx.close();
});
afterEach(async () => {
  setConfig(original);
  rx.received.length = 0;
  rx.answers.length = 0;
  // Each test starts with no pending work left by another.
  await WebhookDelivery.destroy({ where: {} });
  await WebhookMessage.destroy({ where: {} });
});

async function askToJoin(event: { uuid: string }) {
  const guest = await buildUser();
  const res = await (await api()).post(`/api/events/${event.uuid}/requests`).set('Authorization', await bearer(guest)).send({});
  expect(res.status, res.text).toBe(201);
  return { guest, request: res.body as { uuid: string } };
}

describe('host webhooks: endpoints', () => {
  it('shows the whsec_ secret once and keeps it encrypted; lists without it', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const created = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    const row = await WebhookEndpoint.findOne({ where: { uuid: created.uuid } });
    expect(row!.secret_encrypted).not.toContain(created.secret.slice(6));
    expect(decryptWebhookSecret(row!.secret_encrypted)).toBe(created.secret);

    const agent = await api();
    const list = await agent.get('/api/host/webhooks').set('Authorization', await bearer(host));
    expect(list.status).toBe(200);
    expect(list.body.results).toHaveLength(1);
    expect(list.body.results[0]).toMatchObject({ uuid: created.uuid, url: `${rx.url}/hooks`, events: ['request.created'], is_active: true });
    expect(JSON.stringify(list.body)).not.toContain('whsec_');

    const stranger = await buildUser();
    expect((await agent.delete(`/api/host/webhooks/${created.uuid}`).set('Authorization', await bearer(stranger))).status).toBe(404);
    expect((await agent.get(`/api/host/webhooks/${created.uuid}/deliveries`).set('Authorization', await bearer(stranger))).status).toBe(404);
    expect((await agent.delete(`/api/host/webhooks/${created.uuid}`).set('Authorization', await bearer(host))).status).toBe(204);
    expect(await WebhookEndpoint.count({ where: { uuid: created.uuid } })).toBe(0);
  });

  it('refuses private, loopback and link-local targets when the guard is on, and non-http schemes always', async () => {
    const agent = await api();
    const auth = await bearer(await buildUser());
    for (const url of [
      `${rx.url}/hooks`, 'http://localhost:9/x', 'http://10.0.0.8/x', 'http://169.254.169.254/latest/meta-data', 'http://[::1]/x',
      'http://[::ffff:127.0.0.1]/x', 'http://[::ffff:a9fe:a9fe]/x', 'http://[fe80::1]/x', 'http://[fd12::1]/x', 'http://100.64.0.1/x',
      'http://0.0.0.0/x', 'ftp://203.0.114.1/x', 'file:///etc/passwd', 'not a url', 'http://user:pw@8.8.8.8/x',
    ]) {
      const res = await agent.post('/api/host/webhooks').set('Authorization', auth).send({ url, events: ['request.created'] });
      expect(res.status, url).toBe(400);
      expect(res.body.errors[0].field, url).toBe('url');
    }
    expect(await WebhookEndpoint.count()).toBe(0);
  });

  it('checks again at send time: an endpoint that now points at a private address gets nothing', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    await askToJoin(event);
    allowPrivate(false);
    const outcome = await deliver();
    expect(outcome).toMatchObject({ claimed: 1, retrying: 1, succeeded: 0 });
    expect(rx.received).toHaveLength(0);
    const agent = await api();
    const log = await agent.get(`/api/host/webhooks/${ep.uuid}/deliveries`).set('Authorization', await bearer(host));
    expect(log.body.results[0]).toMatchObject({ status: 'pending', attempts: 1, last_status_code: null });
    expect(log.body.results[0].last_error).toMatch(/private/);
  });
});

describe('host webhooks: deliveries', () => {
  it('request.created arrives once per change, signed, and never at another host\'s endpoint', async () => {
    allowPrivate(true);
    const host = await buildUser({ profile: { name: 'Hosting Person' } } as never);
    const otherHost = await buildUser();
    const event = await buildEvent({ host });
    const otherEvent = await buildEvent({ host: otherHost });
    const mine = await registerEndpoint(host, `${rx.url}/mine`, ['request.created', 'event.cancelled']);
    const theirs = await registerEndpoint(otherHost, `${rx.url}/theirs`, ['request.created', 'request.accepted', 'event.cancelled']);
    const unsubscribed = await registerEndpoint(host, `${rx.url}/unsubscribed`, ['order.paid']);

    const first = await askToJoin(event);
    const second = await askToJoin(event);
    expect(await deliver()).toMatchObject({ fanned_out: 2, claimed: 2, succeeded: 2 });
    expect(await deliver()).toMatchObject({ fanned_out: 0, claimed: 0 });

    expect(rx.received.map((r) => r.path)).toEqual(['/mine', '/mine']);
    const bodies = rx.received.map((r) => verified(mine.secret, r));
    expect(bodies.map((b) => b.type)).toEqual(['request.created', 'request.created']);
    expect(bodies.map((b) => (b.data.request as { uuid: string }).uuid).sort()).toEqual([first.request.uuid, second.request.uuid].sort());
    expect(bodies[0]!.data.event).toMatchObject({ uuid: event.uuid, slug: event.slug, title: event.title });
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(2);
    for (const r of rx.received) {
      expect(r.headers['webhook-id']).toMatch(/^msg_[0-9a-f-]{36}$/);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(r.headers['content-type']).toBe('application/json');
      // Signed with this endpoint's secret, not another's.
      expect(() => verified(theirs.secret, r)).toThrow();
      expect(() => verified(unsubscribed.secret, r)).toThrow();
    }
    expect(await WebhookDelivery.count({ where: { endpoint_id: (await WebhookEndpoint.findOne({ where: { uuid: theirs.uuid } }))!.id } })).toBe(0);

    // The other host's own change reaches the other host only.
    await askToJoin(otherEvent);
    await deliver();
    expect(rx.received.map((r) => r.path)).toEqual(['/mine', '/mine', '/theirs']);
    expect(verified(theirs.secret, rx.received[2]!).data.event).toMatchObject({ uuid: otherEvent.uuid });
  });

  it('event.cancelled arrives once, when the cancellation commits; a refused change sends nothing', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['event.cancelled']);
    const agent = await api();
    const cancel = await agent.post(`/api/events/${event.uuid}/cancel`).set('Authorization', await bearer(host)).send({ reason: 'Storm warning.' });
    expect(cancel.status, cancel.text).toBe(200);
    const again = await agent.post(`/api/events/${event.uuid}/cancel`).set('Authorization', await bearer(host)).send({});
    expect(again.status).toBeGreaterThanOrEqual(400);
    await deliver();
    await deliver();
    expect(rx.received).toHaveLength(1);
    const body = verified(ep.secret, rx.received[0]!);
    expect(body).toMatchObject({ type: 'event.cancelled', data: { event: { uuid: event.uuid }, reason: 'Storm warning.' } });
    expect(Date.parse(body.timestamp)).not.toBeNaN();
  });

  it('queues nothing for a host without a subscribed endpoint', async () => {
    const event = await buildEvent();
    await askToJoin(event);
    expect(await WebhookMessage.count()).toBe(0);
  });

  it('retries after a 500 with the same webhook-id, with backoff, and logs every attempt', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    rx.answers.push(500, 503);
    await askToJoin(event);
    expect(await deliver()).toMatchObject({ retrying: 1 });
    expect(await deliver()).toMatchObject({ claimed: 0 }); // not due yet: backoff
    clock.advance(MINUTE + 1000);
    expect(await deliver()).toMatchObject({ retrying: 1 });
    clock.advance(MINUTE + 1000);
    expect(await deliver()).toMatchObject({ claimed: 0 }); // the second wait is 2 minutes
    clock.advance(MINUTE + 1000);
    expect(await deliver()).toMatchObject({ succeeded: 1 });

    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(new Set(rx.received.map((r) => r.body)).size).toBe(1);
    for (const r of rx.received) verified(ep.secret, r);
    const agent = await api();
    const log = await agent.get(`/api/host/webhooks/${ep.uuid}/deliveries`).set('Authorization', await bearer(host));
    expect(log.status).toBe(200);
    expect(log.body.results).toHaveLength(1);
    expect(log.body.results[0]).toMatchObject({
      status: 'succeeded', attempts: 3, last_status_code: 200, last_error: null, type: 'request.created',
      webhook_id: rx.received[0]!.headers['webhook-id'],
    });
  });

  it('follows no redirect: a 302 is a failed attempt', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    rx.answers.push(302);
    await askToJoin(await buildEvent({ host }));
    expect(await deliver()).toMatchObject({ retrying: 1 });
    expect(rx.received.map((r) => r.path)).toEqual(['/hooks']);
    const row = await WebhookDelivery.findOne({ include: [{ association: 'endpoint', where: { uuid: ep.uuid } }] });
    expect(row).toMatchObject({ status: 'pending', last_status_code: 302 });
  });

  it('gives up after 24 h, disables an endpoint failing for a day and tells its host; redelivery after enabling', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    for (let i = 0; i < 100; i++) rx.answers.push(500);
    await askToJoin(event);
    const start = clock.now().getTime();
    let disabled = 0;
    while (clock.now().getTime() - start < DAY + 5 * 60 * MINUTE) {
      disabled += (await deliver()).endpoints_disabled;
      clock.advance(30 * MINUTE);
    }
    expect(disabled).toBe(1);
    const endpoint = await WebhookEndpoint.findOne({ where: { uuid: ep.uuid } });
    expect(endpoint).toMatchObject({ is_active: false });
    const delivery = await WebhookDelivery.findOne({ where: { endpoint_id: endpoint!.id } });
    expect(delivery!.status).toBe('failed');
    const attempts = rx.received.length;
    expect(attempts).toBeGreaterThan(5);
    expect(attempts).toBeLessThan(30);
    expect(delivery!.attempts).toBe(attempts);
    const told = await Notification.findAll({ where: { recipient_id: host.id, type: 'system' } });
    expect(told).toHaveLength(1);
    expect(told[0]!.message).toContain(`${rx.url}/hooks`);

    // Nothing goes to a disabled endpoint; after enabling, a redelivery sends the same message again.
    await askToJoin(event);
    await deliver();
    expect(rx.received).toHaveLength(attempts);
    const agent = await api();
    const auth = await bearer(host);
    expect((await agent.post(`/api/host/webhooks/${ep.uuid}/deliveries/${delivery!.uuid}/redeliver`).set('Authorization', auth)).status).toBe(409);
    expect((await agent.post(`/api/host/webhooks/${ep.uuid}/enable`).set('Authorization', auth)).body.is_active).toBe(true);
    rx.answers.length = 0;
    const again = await agent.post(`/api/host/webhooks/${ep.uuid}/deliveries/${delivery!.uuid}/redeliver`).set('Authorization', auth);
    expect(again.status, again.text).toBe(202);
    expect(again.body).toMatchObject({ status: 'pending' });
    await deliver();
    expect(rx.received).toHaveLength(attempts + 1);
    expect(rx.received.at(-1)!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    expect(await WebhookDelivery.findByPk(delivery!.id)).toMatchObject({ status: 'succeeded' });
    const stranger = await bearer(await buildUser());
    expect((await agent.post(`/api/host/webhooks/${ep.uuid}/deliveries/${delivery!.uuid}/redeliver`).set('Authorization', stranger)).status).toBe(404);
  });

  it('pages the delivery log newest first with an opaque cursor', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host, max_capacity: 0 });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    for (let i = 0; i < 5; i++) {
      await askToJoin(event);
      clock.advance(1000);
    }
    await deliver();
    const agent = await api();
    const auth = await bearer(host);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { results: { uuid: string }[]; next: string | null } } = await agent.get(`/api/host/webhooks/${ep.uuid}/deliveries?page_size=2${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', auth);
      expect(res.status).toBe(200);
      seen.push(...res.body.results.map((d) => d.uuid));
      cursor = res.body.next;
    } while (cursor);
    expect(seen).toHaveLength(5);
    expect(new Set(seen).size).toBe(5);
    expect((await agent.get(`/api/host/webhooks/${ep.uuid}/deliveries?cursor=nonsense`).set('Authorization', auth)).status).toBe(400);
  });
});

describe('host webhooks: request.accepted (written by the one-call accept)', () => {
  it('arrives once per accept, free and paid events alike; a refused accept sends nothing', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const free = await buildEvent({ host });
    const paid = await buildEvent({ host, is_paid: true, ticket_price: '250.00', max_capacity: 5 });
    const ep = await registerEndpoint(host, `${rx.url}/accepts`, ['request.accepted']);
    const agent = await api();
    const auth = await bearer(host);
    const accepted: string[] = [];
    for (const event of [free, paid]) {
      const { guest, request } = await askToJoin(event);
      const res = await agent.post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`).set('Authorization', auth).send({});
      expect(res.status, res.text).toBe(200);
      accepted.push(request.uuid);
      const again = await agent.post(`/api/events/${event.uuid}/requests/${request.uuid}/accept`).set('Authorization', auth).send({});
      expect(again.status).toBe(409);
      expect(guest.uuid).toBeTruthy();
    }
    await deliver();
    expect(rx.received).toHaveLength(2);
    const bodies = rx.received.map((r) => verified(ep.secret, r));
    expect(bodies.map((b) => b.type)).toEqual(['request.accepted', 'request.accepted']);
    // Sent in parallel: the arrival order is the network's.
    expect(bodies.map((b) => (b.data.request as { uuid: string }).uuid).sort()).toEqual([...accepted].sort());
    expect(bodies.map((b) => (b.data.event as { uuid: string }).uuid).sort()).toEqual([free.uuid, paid.uuid].sort());
  });
});

describe('host webhooks: attendee.checked_in (written by the one-statement check-in)', () => {
  it('arrives once per check-in, naming the attendee; a second scan of the same ticket sends nothing', async () => {
    allowPrivate(true);
    const event = await openEvent();
    const host = event.host as { uuid: string };
    const ep = await registerEndpoint(host, `${rx.url}/door`, ['attendee.checked_in']);
    const { record, code, user } = await buildTicket({ event, seats: 2 });
    const agent = await api();
    const auth = await bearer(host);
    expect((await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', auth).send({ ticket_secret: code })).status).toBe(200);
    expect((await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', auth).send({ ticket_secret: code })).status).toBe(409);
    await deliver();
    expect(rx.received).toHaveLength(1);
    expect(verified(ep.secret, rx.received[0]!)).toMatchObject({
      type: 'attendee.checked_in',
      data: { event: { uuid: event.uuid }, ticket: { uuid: record.uuid, seats: 2 }, attendee: { uuid: user.uuid } },
    });
  });
});
