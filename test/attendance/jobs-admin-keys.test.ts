import crypto from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { attendanceRecordActions } from '../../resources/actions/attendance.js';
import { config, ConfigError, loadConfig, setConfig } from '../../src/config.js';
import { createContext, systemContext } from '../../src/context.js';
import { sequelize } from '../../src/db/connection.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { AuditLog, Event, EventRequest } from '../../src/models/index.js';
import { completePastEvents } from '../../src/modules/attendance/commands/index.js';
import { reloadSigningKey } from '../../src/modules/attendance/signing.js';
import { api, bearer } from '../support/app.js';
import { dayAYearAhead } from '../support/dates.js';
import { buildEvent, buildRequest, buildStaff, buildUser } from '../support/factories.js';
import { superuserAgent } from '../admin/support.js';
import { buildTicket, openEvent, reload } from './helpers.js';

const ed25519Pem = () => crypto.generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('completion job', () => {
  it('completes published events past their end in batches, expires their pending requests (requests_count 0), and is idempotent', async () => {
    clock.set(dayAYearAhead(12));
    const past = (h: number) => ({ start_time: new Date(clock.now().getTime() - (h + 3) * HOUR), end_time: new Date(clock.now().getTime() - h * HOUR) });
    const ended = [];
    for (let i = 1; i <= 5; i++) ended.push(await buildEvent(past(i)));
    const postponed = await buildEvent({ ...past(1), status: 'postponed' });
    const running = await buildEvent({ start_time: new Date(clock.now().getTime() - HOUR), end_time: new Date(clock.now().getTime() + HOUR) });
    const ahead = await buildEvent({ start_time: new Date(clock.now().getTime() + DAY) });
    const stale = [await buildRequest({ event: ended[0]! }), await buildRequest({ event: ended[0]! }), await buildRequest({ event: postponed })];
    const live = [await buildRequest({ event: running }), await buildRequest({ event: ahead })];

    const first = await completePastEvents(systemContext('job'), { batchSize: 2 });
    expect(first).toMatchObject({ completed: 5, requests_expired: 3 });
    expect(first.batches).toBeGreaterThanOrEqual(4);
    for (const e of ended) expect((await e.reload()).status).toBe('completed');
    expect((await postponed.reload()).status).toBe('postponed');
    expect((await running.reload()).status).toBe('published');
    for (const r of stale) expect((await r.reload()).status).toBe('expired');
    for (const r of live) expect((await r.reload()).status).toBe('pending');
    expect((await Event.findByPk(ended[0]!.id))!.requests_count).toBe(0);
    expect((await postponed.reload()).requests_count).toBe(0);
    expect((await running.reload()).requests_count).toBe(1);
    const [pending] = await sequelize().query<{ n: number }>(
      "SELECT COUNT(*)::int AS n FROM event_request WHERE event_id = $e AND status = 'pending'", { bind: { e: running.id }, type: QueryTypes.SELECT });
    expect(pending!.n).toBe(1);
    expect(await AuditLog.count({ where: { command: 'events.complete' } })).toBeGreaterThanOrEqual(3);

    expect(await completePastEvents(systemContext('job'))).toEqual({ completed: 0, requests_expired: 0, waitlisted_expired: 0, batches: 0 });
    expect(await EventRequest.count({ where: { status: 'expired' } })).toBe(3);
  });

  it('expires the waitlist of an ended event (it never counted in requests_count), not of a running one', async () => {
    clock.set(dayAYearAhead(12));
    const ended = await buildEvent({ start_time: new Date(clock.now().getTime() - 5 * HOUR), end_time: new Date(clock.now().getTime() - HOUR), waitlist_enabled: true });
    const running = await buildEvent({ start_time: new Date(clock.now().getTime() - HOUR), end_time: new Date(clock.now().getTime() + HOUR), waitlist_enabled: true });
    const waiting = async (event: Event) => {
      const r = await buildRequest({ event });
      await sequelize().query("UPDATE event_request SET status = 'waitlisted', waitlist_seq = nextval('event_request_waitlist_seq') WHERE id = $id", { bind: { id: r.id } });
      return r;
    };
    const stale = [await waiting(ended), await waiting(ended), await waiting(ended)];
    const kept = await waiting(running);
    await sequelize().query('UPDATE event SET requests_count = 0 WHERE id IN ($a, $b)', { bind: { a: ended.id, b: running.id } });

    expect(await completePastEvents(systemContext('job'), { batchSize: 2 })).toMatchObject({ completed: 1, requests_expired: 0, waitlisted_expired: 3 });
    for (const r of stale) expect(await r.reload()).toMatchObject({ status: 'expired', waitlist_seq: null });
    expect((await kept.reload()).status).toBe('waitlisted');
    const audits = await AuditLog.findAll({ where: { command: 'joining.waitlist.expire' } });
    expect(audits.map((a) => (a.payload as { requests_expired: number }).requests_expired).sort()).toEqual([1, 2]);
    expect((await completePastEvents(systemContext('job'))).waitlisted_expired).toBe(0);
  });
});

describe('panel: Check in', () => {
  const context = (record: { id: number; uuid: string; status: string }, admin: { id: number; uuid: string; is_staff: boolean; email: string | null }) => ({
    record: { params: { uuid: record.uuid, status: record.status }, id: () => String(record.id), toJSON: () => ({}) },
    currentAdmin: admin, resource: { findOne: async () => null },
  });

  it('staff check a guest in with a reason, audited, through the same rules; GET changes nothing; a second time is refused', async () => {
    const event = await openEvent();
    const { record } = await buildTicket({ event });
    const staff = await buildStaff();
    const ctx = context(record, { id: staff.id, uuid: staff.uuid, is_staff: true, email: staff.email });
    const action = attendanceRecordActions.checkIn!;
    await action.handler({ method: 'get' } as never, {}, ctx as never);
    expect((await reload(record)).status).toBe('going');
    const noReason = await action.handler({ method: 'post', payload: { reason: '' } } as never, {}, ctx as never);
    expect(noReason.notice).toMatchObject({ type: 'error' });
    const res = await action.handler({ method: 'post', payload: { reason: 'Lost phone, ID checked' } } as never, {}, ctx as never);
    expect(res.notice).toMatchObject({ type: 'success' });
    expect((await reload(record)).status).toBe('checked_in');
    const row = await AuditLog.findOne({ where: { command: 'attendance.checkin', object_uuid: record.uuid } });
    expect(row!.payload).toMatchObject({ via: 'staff', reason: 'Lost phone, ID checked', source: 'admin' });
    expect(row!.actor_user_id).toBe(staff.id);
    const again = await action.handler({ method: 'post', payload: { reason: 'again' } } as never, {}, ctx as never);
    expect(again.notice).toMatchObject({ type: 'error' });
    expect(String(again.notice!.message)).toMatch(/already checked in/);
  });

  it('is refused outside the window like every door', async () => {
    const event = await buildEvent(); // a week ahead
    const { record } = await buildTicket({ event });
    const staff = await buildStaff();
    const res = await attendanceRecordActions.checkIn!.handler({ method: 'post', payload: { reason: 'Lost phone' } } as never, {},
      context(record, { id: staff.id, uuid: staff.uuid, is_staff: true, email: staff.email }) as never);
    expect(res.notice).toMatchObject({ type: 'error' });
    expect((await reload(record)).status).toBe('going');
  });

  it('runs over the panel API as a POST; the attendance list filters by event and status', async () => {
    const event = await openEvent();
    const { record } = await buildTicket({ event });
    await buildTicket({ event });
    const agent = await superuserAgent();
    const url = `/admin/api/resources/attendance_record/records/${record.id}/checkIn`;
    expect((await agent.get(url)).status).toBe(200);
    expect((await reload(record)).status).toBe('going');
    const res = await agent.post(url).send({ reason: 'Phone died at the door' });
    expect(res.status).toBe(200);
    expect((await reload(record)).status).toBe('checked_in');
    const list = await agent.get(`/admin/api/resources/attendance_record/actions/list?filters.event_id=${event.id}&filters.status=checked_in`);
    expect(list.body.records.map((r: { params: { uuid: string } }) => r.params.uuid)).toEqual([record.uuid]);
    expect(list.body.records[0].params.ticket_secret).toBeUndefined();
  });

  it('a non-staff actor cannot use the command', async () => {
    const { record } = await buildTicket({ event: await openEvent() });
    const { staffCheckIn } = await import('../../src/modules/attendance/commands/index.js');
    const user = await buildUser();
    await expect(staffCheckIn(createContext({ source: 'api', actor: { id: user.id, uuid: user.uuid, is_staff: false, is_superuser: false } }),
      { ticketUuid: record.uuid, reason: 'because' })).rejects.toMatchObject({ status: 403 });
  });
});

describe('signing keys', () => {
  it('TICKET_SIGNING_KEY is required in production and must be an Ed25519 private key', () => {
    const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y', JWT_SECRET: 'x'.repeat(40), PAYOUT_ENCRYPTION_KEY: 'a'.repeat(64) };
    expect(() => loadConfig(prod)).toThrow(/TICKET_SIGNING_KEY is required/);
    expect(() => loadConfig({ ...prod, TICKET_SIGNING_KEY: 'not a pem' })).toThrow(ConfigError);
    const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => loadConfig({ ...prod, TICKET_SIGNING_KEY: rsa })).toThrow(/Ed25519/);
    expect(loadConfig({ ...prod, TICKET_SIGNING_KEY: ed25519Pem().replace(/\n/g, '\\n') }).TICKET_SIGNING_KEY).toBeDefined();
  });

  it('rotating the key keeps the old public key in the JWKS by kid, and codes signed before still check in', async () => {
    const before = config();
    try {
      setConfig({ ...before, TICKET_SIGNING_KEY: ed25519Pem() });
      reloadSigningKey();
      const event = await openEvent();
      const { record, user } = await buildTicket({ event });
      const agent = await api();
      const oldQr = (await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', await bearer(user))).body.qr_payload;
      const oldKid = JSON.parse(Buffer.from(oldQr.split('.')[0], 'base64url').toString()).kid;

      setConfig({ ...before, TICKET_SIGNING_KEY: ed25519Pem() });
      reloadSigningKey();
      const newQr = (await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', await bearer(user))).body.qr_payload;
      const newKid = JSON.parse(Buffer.from(newQr.split('.')[0], 'base64url').toString()).kid;
      expect(newKid).not.toBe(oldKid);
      const jwks = (await agent.get('/api/checkin/keys')).body;
      expect(jwks.keys[0].kid).toBe(newKid);
      expect(jwks.keys.map((k: { kid: string }) => k.kid)).toContain(oldKid);
      await jwtVerify(oldQr, createLocalJWKSet(jwks));
      await jwtVerify(newQr, createLocalJWKSet(jwks));
      const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!)).send({ qr_payload: oldQr });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    } finally {
      setConfig(before);
      reloadSigningKey();
    }
  });
});
