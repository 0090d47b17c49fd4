import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { AttendanceOtp } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { buildTicket, expectProblem, openEvent, openPaidEvent } from './helpers.js';

describe('tickets', () => {
  it('lists my tickets with a 32-character code and a QR payload a door verifies with the JWKS alone', async () => {
    const { user, record, event, code } = await buildTicket({ event: await openEvent(), seats: 2 });
    await buildTicket(); // someone else's
    const agent = await api();
    const res = await agent.get('/api/tickets').set('Authorization', await bearer(user));
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.results).toHaveLength(1);
    const t = res.body.results[0];
    expect(t).toMatchObject({ uuid: record.uuid, status: 'going', seats: 2, payment_status: 'unpaid', ticket_secret: code });
    expect(t.event.uuid).toBe(event.uuid);
    expect(t.ticket_secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);

    const jwks = (await agent.get('/api/checkin/keys')).body;
    expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA' });
    expect(jwks.keys[0].d).toBeUndefined();
    const { payload, protectedHeader } = await jwtVerify(t.qr_payload, createLocalJWKSet(jwks), { algorithms: ['EdDSA'] });
    expect(payload).toMatchObject({ ticket: record.uuid, event: event.uuid, seats: 2 });
    expect(protectedHeader.kid).toBe(jwks.keys[0].kid);

    // A payload altered by one character no longer verifies.
    const [h, p, s] = t.qr_payload.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ ...payload, seats: 9 })).toString('base64url')}.${s}`;
    expect(p).not.toBe(forged.split('.')[1]);
    await expect(jwtVerify(forged, createLocalJWKSet(jwks))).rejects.toThrow();

    const one = await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', await bearer(user));
    expect(one.body).toEqual(t);
  });

  it("someone else's ticket, or a junk id, is 404", async () => {
    const { record } = await buildTicket();
    const other = await bearer(await buildUser());
    const agent = await api();
    expectProblem(await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', other), 404);
    expectProblem(await agent.get(`/api/tickets/${record.uuid}/qr`).set('Authorization', other), 404);
    expectProblem(await agent.post(`/api/tickets/${record.uuid}/otp`).set('Authorization', other), 404);
    expectProblem(await agent.get('/api/tickets/not-a-uuid').set('Authorization', other), 404);
    expectProblem(await agent.get('/api/tickets'), 401);
  });

  it('draws the QR as SVG, or PNG when asked', async () => {
    const { user, record } = await buildTicket();
    const agent = await api();
    const svg = await agent.get(`/api/tickets/${record.uuid}/qr`).set('Authorization', await bearer(user));
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(String(svg.text ?? svg.body)).toMatch(/<svg/);
    const png = await agent.get(`/api/tickets/${record.uuid}/qr`).set('Authorization', await bearer(user)).set('Accept', 'image/png')
      .buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
  });

  it('a void ticket (cancelled, refunded) shows no code and no QR', async () => {
    const { user, record } = await buildTicket({ event: await openPaidEvent(), paid: true });
    await record.update({ payment_status: 'refunded' });
    const agent = await api();
    const res = await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', await bearer(user));
    expect(res.body).toMatchObject({ ticket_secret: null, qr_payload: null, payment_status: 'refunded' });
    expectProblem(await agent.get(`/api/tickets/${record.uuid}/qr`).set('Authorization', await bearer(user)), 409);
    expectProblem(await agent.post(`/api/tickets/${record.uuid}/otp`).set('Authorization', await bearer(user)), 409);
  });

  it('issues 6-digit one-time codes for 5 minutes, stored only as an HMAC; a new one voids the old', async () => {
    const { user, record } = await buildTicket({ event: await openEvent() });
    const agent = await api();
    const first = await agent.post(`/api/tickets/${record.uuid}/otp`).set('Authorization', await bearer(user));
    expect(first.status).toBe(200);
    expect(first.body.otp_code).toMatch(/^\d{6}$/);
    expect(Date.parse(first.body.expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    expect(Date.parse(first.body.expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    const again = await Promise.all([1, 2, 3].map(async () => agent.post(`/api/tickets/${record.uuid}/otp`).set('Authorization', await bearer(user))));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200]);
    const rows = await AttendanceOtp.findAll({ where: { attendance_record_id: record.id } });
    expect(rows).toHaveLength(4);
    expect(rows.filter((r) => !r.is_used)).toHaveLength(1);
    for (const r of rows) expect(r.otp_code).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('the OpenAPI document', () => {
  it('describes every tickets and check-in path, the QR media types and the door errors', async () => {
    const doc = (await (await api()).get('/api/openapi.json')).body;
    const expected: Record<string, string[]> = {
      '/tickets': ['get'], '/tickets/{uuid}': ['get'], '/tickets/{uuid}/qr': ['get'], '/tickets/{uuid}/otp': ['post'],
      '/checkin/keys': ['get'], '/events/{event}/checkin': ['post'], '/events/{event}/checkout': ['post'],
      '/events/{event}/checkins': ['get'], '/events/{event}/checkins/sync': ['post'], '/events/{event}/door-list': ['get'],
    };
    for (const [path, methods] of Object.entries(expected)) expect(Object.keys(doc.paths[path] ?? {}).sort(), path).toEqual(methods);
    expect(Object.keys(doc.paths['/tickets/{uuid}/qr'].get.responses['200'].content).sort()).toEqual(['image/png', 'image/svg+xml']);
    expect(Object.keys(doc.paths['/events/{event}/checkin'].post.responses)).toEqual(expect.arrayContaining(['200', '400', '404', '409', '422', '429']));
    expect(doc.components.schemas.Ticket.properties.qr_payload).toBeDefined();
  });
});
