import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { setConfig } from '../../src/config.js';
import { WebhookDelivery } from '../../src/models/index.js';
import { superuserAgent, type Agent } from '../admin/support.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';
import { allowPrivate, deliver, original, receiver, registerEndpoint, verified } from './support.js';

let rx: Awaited<ReturnType<typeof receiver>>;
let agent: Agent;
beforeAll(async () => {
  rx = await receiver();
  agent = await superuserAgent();
});
afterAll(async () => {
  await rx.close();
});
afterEach(() => setConfig(original));

describe('panel: webhook deliveries', () => {
  it('redelivers on POST only (a GET renders the form), with the same webhook-id; the secret never shows', async () => {
    allowPrivate(true);
    const host = await buildUser();
    const event = await buildEvent({ host });
    const ep = await registerEndpoint(host, `${rx.url}/hooks`, ['request.created']);
    const guest = await buildUser();
    await (await api()).post(`/api/events/${event.uuid}/requests`).set('Authorization', await bearer(guest)).send({});
    await deliver();
    expect(rx.received).toHaveLength(1);
    const delivery = (await WebhookDelivery.findOne({ order: [['id', 'DESC']] }))!;
    expect(delivery.status).toBe('succeeded');

    const path = `/admin/api/resources/webhook_delivery/records/${delivery.id}/redeliver`;
    const get = await agent.get(path);
    expect(get.status).toBe(200);
    await delivery.reload();
    expect(delivery.status).toBe('succeeded');

    const post = await agent.post(path).send({});
    expect(post.status).toBe(200);
    expect(post.body.notice).toMatchObject({ type: 'success' });
    await delivery.reload();
    expect(delivery.status).toBe('pending');
    await deliver();
    expect(rx.received).toHaveLength(2);
    expect(rx.received[1]!.headers['webhook-id']).toBe(rx.received[0]!.headers['webhook-id']);
    verified(ep.secret, rx.received[1]!);

    const endpoints = await agent.get('/admin/api/resources/webhook_endpoint/actions/list');
    expect(endpoints.status).toBe(200);
    expect(endpoints.text).not.toContain('secret_encrypted');
    expect(endpoints.text).not.toContain(ep.secret);
  });
});
