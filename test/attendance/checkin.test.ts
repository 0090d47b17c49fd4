import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { clock, HOUR, MINUTE } from '../../src/lib/clock.js';
import { AttendanceOtp, AuditLog, EventAttendee, TicketSecret } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { dayAYearAhead } from '../support/dates.js';
import { buildStaff, buildUser } from '../support/factories.js';
import { buildTicket, expectProblem, openEvent, openPaidEvent, reload } from './helpers.js';

type Agent = Awaited<ReturnType<typeof api>>;

async function hostOf(event: { host?: unknown }) {
  return bearer(event.host as { uuid: string });
}
async function ticketJson(agent: Agent, user: { uuid: string }, uuid: string) {
  return (await agent.get(`/api/tickets/${uuid}`).set('Authorization', await bearer(user))).body;
}
async function otpFor(agent: Agent, user: { uuid: string }, uuid: string): Promise<string> {
  const res = await agent.post(`/api/tickets/${uuid}/otp`).set('Authorization', await bearer(user));
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.otp_code;
}

describe.each([
  ['free', false],
  ['paid', true],
])('check-in of a %s ticket', (_kind, paid) => {
  const setup = async () => {
    const event = paid ? await openPaidEvent() : await openEvent();
    const { record, code, user } = await buildTicket({ event, paid, seats: 2 });
    return { event, record, code, user };
  };

  it('by its code: checked in at once, attendee checked in, secret redeemed, audited; the same code again is 409 naming the time', async () => {
    const { event, record, code } = await setup();
    const agent = await api();
    const host = await hostOf(event);
    const typed = code.toLowerCase().replace(/(.{4})/g, '$1-');
    const res = await agent.post(`/api/events/${event.slug}/checkin`).set('Authorization', host).send({ ticket_secret: typed });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ uuid: record.uuid, status: 'checked_in', seats: 2, payment_status: paid ? 'paid' : 'unpaid' });
    expect(res.body.ticket_secret).toBeUndefined();
    const at = res.body.checked_in_at;
    expect(Date.parse(at)).toBeGreaterThan(0);
    const row = await reload(record);
    expect(row.status).toBe('checked_in');
    expect(row.checked_in_at!.toISOString()).toBe(at);
    expect((await EventAttendee.findByPk(record.attendee_id!))!.status).toBe('checked_in');
    const secret = await TicketSecret.findOne({ where: { attendance_record_id: record.id } });
    expect(secret).toMatchObject({ is_redeemed: true });
    expect(await AuditLog.count({ where: { command: 'attendance.checkin', object_uuid: record.uuid, is_successful: true } })).toBe(1);

    const again = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: code });
    expectProblem(again, 409);
    expect(again.body.detail).toContain(at);
  });

  it('by its QR payload (verified offline with the JWKS alone first); reused 409', async () => {
    const { event, record, user } = await setup();
    const agent = await api();
    const { qr_payload } = await ticketJson(agent, user, record.uuid);
    const jwks = (await agent.get('/api/checkin/keys')).body;
    const { payload } = await jwtVerify(qr_payload, createLocalJWKSet(jwks));
    expect(payload).toMatchObject({ ticket: record.uuid, event: event.uuid, seats: 2 });
    const host = await hostOf(event);
    const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ qr_payload });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.status).toBe('checked_in');
    const again = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ qr_payload });
    expectProblem(again, 409);
    expect(again.body.detail).toContain(res.body.checked_in_at);
  });

  it('by ticket + one-time code; the code is single use (409 once in)', async () => {
    const { event, record, user } = await setup();
    const agent = await api();
    const code = await otpFor(agent, user, record.uuid);
    const staff = await bearer(await buildStaff());
    const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', staff).send({ ticket: record.uuid, otp_code: code });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.attendee.uuid).toBe(user.uuid);
    const again = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', staff).send({ ticket: record.uuid, otp_code: code });
    expectProblem(again, 409);
  });
});

describe('check-in refusals', () => {
  it('forged codes and QR payloads: malformed 400, well-formed but unknown 404', async () => {
    const event = await openEvent();
    await buildTicket({ event });
    const agent = await api();
    const host = await hostOf(event);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: 'nope' }), 400, 'ticket_secret');
    const unknown = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: unknown }), 404);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ qr_payload: 'a.b.c' }), 400, 'qr_payload');
    // Signed with a key of our own (same claims, valid shape): not in the JWKS.
    const { SignJWT, generateKeyPair } = await import('jose');
    const { privateKey } = await generateKeyPair('EdDSA');
    const fake = await new SignJWT({ ticket: crypto.randomUUID(), event: event.uuid, seats: 1 })
      .setProtectedHeader({ alg: 'EdDSA', kid: 'x', typ: 'loopin-ticket+jwt' }).setIssuer('loopin').sign(privateKey);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ qr_payload: fake }), 400, 'qr_payload');
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({}), 400);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host)
      .send({ ticket: crypto.randomUUID(), otp_code: '123456' }), 404);
  });

  it('a ticket of another event is refused by code, QR and OTP, and nothing changes', async () => {
    const here = await openEvent();
    const { record, code, user } = await buildTicket({ event: await openEvent() });
    const agent = await api();
    const host = await hostOf(here);
    expectProblem(await agent.post(`/api/events/${here.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: code }), 422);
    const { qr_payload } = await ticketJson(agent, user, record.uuid);
    expectProblem(await agent.post(`/api/events/${here.uuid}/checkin`).set('Authorization', host).send({ qr_payload }), 422);
    const otp = await otpFor(agent, user, record.uuid);
    expectProblem(await agent.post(`/api/events/${here.uuid}/checkin`).set('Authorization', host).send({ ticket: record.uuid, otp_code: otp }), 422);
    expect((await reload(record)).status).toBe('going');
  });

  it('cancelled, refunded and unpaid-for-a-paid-event tickets are refused', async () => {
    const event = await openPaidEvent();
    const host = await hostOf(event);
    const agent = await api();
    const cancelled = await buildTicket({ event, paid: true });
    await cancelled.record.update({ status: 'cancelled' });
    const refunded = await buildTicket({ event, paid: true });
    await refunded.record.update({ payment_status: 'refunded' });
    const unpaid = await buildTicket({ event, paid: false });
    const send = (code: string) => agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: code });
    const c = await send(cancelled.code);
    expectProblem(c, 409);
    expect(c.body.detail).toMatch(/cancelled/);
    const r = await send(refunded.code);
    expectProblem(r, 409);
    expect(r.body.detail).toMatch(/refunded/);
    const u = await send(unpaid.code);
    expectProblem(u, 422);
    expect(u.body.detail).toMatch(/not paid/);
  });

  it('outside the window (before start − 6 h, after the end) is 422; a postponed or cancelled event 409', async () => {
    const at = dayAYearAhead;
    clock.set(at(10));
    const event = await openEvent({ start_time: at(20), end_time: at(23) });
    const { record, code } = await buildTicket({ event });
    const agent = await api();
    // A token signed at each moment: access tokens live 15 minutes by the same clock.
    const send = async (ticket_secret = code) =>
      agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await hostOf(event)).send({ ticket_secret });
    const early = await send();
    expectProblem(early, 422);
    expect(early.body.detail).toContain(at(14).toISOString());
    clock.set(at(23, 1));
    expectProblem(await send(), 422);
    clock.set(at(14));
    expect((await send()).status).toBe(200);
    expect((await reload(record)).checked_in_at!.toISOString()).toBe(at(14).toISOString());

    const other = await buildTicket({ event });
    await event.update({ status: 'postponed' });
    expectProblem(await send(other.code), 409);
    await event.update({ status: 'cancelled' });
    expectProblem(await send(other.code), 409);
    expect((await reload(other.record)).status).toBe('going');
  });

  it('only the host or staff work the door: others 403 on a visible event, 404 on a draft', async () => {
    const event = await openEvent();
    const { code } = await buildTicket({ event });
    const agent = await api();
    const stranger = await bearer(await buildUser());
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', stranger).send({ ticket_secret: code }), 403);
    expectProblem(await agent.get(`/api/events/${event.uuid}/door-list`).set('Authorization', stranger), 403);
    const draft = await openEvent({ status: 'draft' });
    expectProblem(await agent.get(`/api/events/${draft.uuid}/checkins`).set('Authorization', stranger), 404);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).send({ ticket_secret: code }), 401);
  });
});

describe('one-time codes at the door', () => {
  it('an expired code is refused once the clock moves past 5 minutes', async () => {
    const event = await openEvent({ start_time: new Date(Date.now() + HOUR) });
    const { record, user } = await buildTicket({ event });
    const agent = await api();
    clock.set(new Date());
    const code = await otpFor(agent, user, record.uuid);
    clock.advance(5 * MINUTE + 1000);
    const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await hostOf(event)).send({ ticket: record.uuid, otp_code: code });
    expectProblem(res, 400, 'otp_code');
    expect(res.body.detail).toMatch(/expired/);
    expect((await reload(record)).status).toBe('going');
  });

  it('a new code voids the old one', async () => {
    const event = await openEvent();
    const { record, user } = await buildTicket({ event });
    const agent = await api();
    const old = await otpFor(agent, user, record.uuid);
    const fresh = await otpFor(agent, user, record.uuid);
    const host = await hostOf(event);
    if (old !== fresh) {
      expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket: record.uuid, otp_code: old }), 400);
    }
    expect((await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket: record.uuid, otp_code: fresh })).status).toBe(200);
  });

  it('wrong codes: the code dies after 3, the ticket is capped (429 with Retry-After) after 5, and the door account after 100', async () => {
    const event = await openEvent();
    const { record, user } = await buildTicket({ event });
    const agent = await api();
    const host = await hostOf(event);
    const right = await otpFor(agent, user, record.uuid);
    const wrong = right === '000000' ? '000001' : '000000';
    const send = (otp_code: string, auth = host, ticket = record.uuid) =>
      agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', auth).send({ ticket, otp_code });
    for (let i = 0; i < 3; i++) expectProblem(await send(wrong), 400, 'otp_code');
    // Dead after three wrong tries, even with the right digits.
    expectProblem(await send(right), 400, 'otp_code');
    expectProblem(await send(wrong), 400, 'otp_code');
    const capped = await send(wrong);
    expectProblem(capped, 429);
    expect(Number(capped.headers['retry-after'])).toBeGreaterThan(0);
    const fresh = await otpFor(agent, user, record.uuid);
    expectProblem(await send(fresh), 429);
    expect(await AuditLog.count({ where: { command: 'attendance.checkin', object_uuid: record.uuid, is_successful: false } })).toBe(5);

    // Per door account: 100 codes across tickets (right ones given back), then 429 even on a fresh ticket.
    const staff = await bearer(await buildStaff());
    for (let i = 0; i < 20; i++) {
      const t = await buildTicket({ event });
      await otpFor(agent, t.user, t.record.uuid);
      const answers = await Promise.all(Array.from({ length: 5 }, () => send(wrong, staff, t.record.uuid)));
      for (const a of answers) expectProblem(a, 400);
    }
    const last = await buildTicket({ event });
    const ok = await otpFor(agent, last.user, last.record.uuid);
    expectProblem(await send(ok, staff, last.record.uuid), 429);
    expect((await send(ok, host, last.record.uuid)).status).toBe(200);
  }, 60_000);
});

describe('one-time codes under a burst', () => {
  it('20 wrong guesses at once for one ticket: exactly 5 are judged (400), the rest 429; the code is dead after 3', async () => {
    const event = await openEvent();
    const { record, user } = await buildTicket({ event });
    const agent = await api();
    const host = await hostOf(event);
    const right = await otpFor(agent, user, record.uuid);
    const wrong = right === '999999' ? '999998' : '999999';
    const answers = await Promise.all(Array.from({ length: 20 }, () =>
      agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket: record.uuid, otp_code: wrong })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses.filter((s) => s === 400)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
    expect((await AttendanceOtp.findOne({ where: { attendance_record_id: record.id, is_used: false } }))!.attempts).toBe(3);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket: record.uuid, otp_code: right }), 429);
    expect((await reload(record)).status).toBe('going');
  });
});

describe('check-out and counts', () => {
  it('checks out once; counts seats going, in and out', async () => {
    const event = await openEvent();
    const a = await buildTicket({ event, seats: 2 });
    const b = await buildTicket({ event, seats: 1 });
    await buildTicket({ event, seats: 1 });
    const gone = await buildTicket({ event, seats: 2 });
    await gone.record.update({ status: 'cancelled' });
    const agent = await api();
    const host = await hostOf(event);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkout`).set('Authorization', host).send({ ticket: a.record.uuid }), 409);
    await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: a.code }).expect(200);
    await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: b.code }).expect(200);
    const out = await agent.post(`/api/events/${event.uuid}/checkout`).set('Authorization', host).send({ ticket: a.record.uuid });
    expect(out.status, JSON.stringify(out.body)).toBe(200);
    expect(out.body.checked_out_at).not.toBeNull();
    const twice = await agent.post(`/api/events/${event.uuid}/checkout`).set('Authorization', host).send({ ticket: a.record.uuid });
    expectProblem(twice, 409);
    expect(twice.body.detail).toContain(out.body.checked_out_at);
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkout`).set('Authorization', host).send({ ticket: 'x' }), 404);
    const counts = await agent.get(`/api/events/${event.slug}/checkins`).set('Authorization', host);
    expect(counts.body).toEqual({ going: 4, checked_in: 3, checked_out: 2 });
  });

  it('the door list pages every ticket with a fingerprint that checks a typed code offline, and no secret', async () => {
    const event = await openEvent();
    const tickets = [];
    for (let i = 0; i < 5; i++) tickets.push(await buildTicket({ event }));
    await tickets[4]!.record.update({ status: 'cancelled' });
    const agent = await api();
    const host = await hostOf(event);
    const seen: Record<string, unknown>[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: { results: Record<string, unknown>[]; next: string | null } } = await agent.get(`/api/events/${event.uuid}/door-list?page_size=2${cursor ? `&cursor=${cursor}` : ''}`).set('Authorization', host);
      expect(res.status).toBe(200);
      seen.push(...res.body.results);
      cursor = res.body.next;
    } while (cursor);
    expect(seen.map((e) => e.ticket)).toEqual(tickets.map((t) => t.record.uuid));
    expect(seen.map((e) => e.admissible)).toEqual([true, true, true, true, false]);
    const { doorFingerprint } = await import('../../src/modules/attendance/ticket-secret.js');
    expect(seen[0]!.fingerprint).toBe(doorFingerprint(tickets[0]!.code.toLowerCase()));
    const text = JSON.stringify(seen);
    for (const t of tickets) expect(text).not.toContain(t.code);
    expectProblem(await agent.get(`/api/events/${event.uuid}/door-list?cursor=junk`).set('Authorization', host), 400, 'cursor');
  });
});
