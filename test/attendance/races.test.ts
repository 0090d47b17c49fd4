import { afterAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { sequelize } from '../../src/db/connection.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { AuditLog } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { buildStaff } from '../support/factories.js';
import { buildTicket, closeServer, httpAgent, openEvent, reload } from './helpers.js';

afterAll(closeServer);

const scansOf = (recordId: number) => sequelize().query<{ scan_id: string; result: string }>(
  'SELECT scan_id, result FROM checkin_scan WHERE attendance_record_id = $id ORDER BY scan_id', { bind: { id: recordId }, type: QueryTypes.SELECT });

describe('racing doors', () => {
  it('50 concurrent check-ins of one ticket (code, QR and OTP mixed, two accounts): exactly one 200, the rest 409', async () => {
    const event = await openEvent();
    const { record, code, user } = await buildTicket({ event, seats: 3 });
    const agent = await httpAgent();
    const { qr_payload } = (await agent.get(`/api/tickets/${record.uuid}`).set('Authorization', await bearer(user))).body;
    const otp = (await agent.post(`/api/tickets/${record.uuid}/otp`).set('Authorization', await bearer(user))).body.otp_code;
    const doors = [await bearer(event.host!), await bearer(await buildStaff())];
    const bodies = [{ ticket_secret: code }, { qr_payload }, { ticket: record.uuid, otp_code: otp }];
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) =>
      agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', doors[i % 2]!).send(bodies[i % 3]!)));
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const winner = results.find((r) => r.status === 200)!.body.checked_in_at;
    for (const r of results.filter((x) => x.status === 409)) expect(r.body.detail).toContain(winner);
    const row = await reload(record);
    expect(row.checked_in_at!.toISOString()).toBe(winner);
    expect(await AuditLog.count({ where: { command: 'attendance.checkin', object_uuid: record.uuid, is_successful: true } })).toBe(1);
    const [counts] = await sequelize().query<{ checked_in: number }>(
      "SELECT COALESCE(SUM(seats), 0)::int AS checked_in FROM attendance_record WHERE event_id = $e AND status = 'checked_in'",
      { bind: { e: event.id }, type: QueryTypes.SELECT });
    expect(counts!.checked_in).toBe(3);
  });
});

describe('offline doors', () => {
  const sync = async (event: { uuid: string; host?: { uuid: string } }, scans: object[]) =>
    (await httpAgent()).post(`/api/events/${event.uuid}/checkins/sync`).set('Authorization', await bearer(event.host!)).send({ scans });

  it.each([['the later scan uploads first', true], ['the earlier scan uploads first', false]])(
    'two devices, same ticket, %s: one accepted, the earliest time kept, re-uploads change nothing',
    async (_label, laterFirst) => {
      clock.set(new Date());
      const event = await openEvent();
      const { record } = await buildTicket({ event });
      const t0 = clock.now().getTime();
      const early = { scan_id: `early-${record.id}`, ticket: record.uuid, scanned_at: new Date(t0 - 10 * MINUTE).toISOString(), device: 'door-a' };
      const late = { scan_id: `late-${record.id}`, ticket: record.uuid, scanned_at: new Date(t0 - 2 * MINUTE).toISOString(), device: 'door-b' };
      const [first, second] = laterFirst ? [late, early] : [early, late];
      const r1 = await sync(event, [first]);
      expect(r1.status, JSON.stringify(r1.body)).toBe(200);
      expect(r1.body.results[0]).toMatchObject({ scan_id: first.scan_id, result: 'accepted', checked_in_at: first.scanned_at });
      const r2 = await sync(event, [second]);
      expect(r2.body.results[0]).toMatchObject({ scan_id: second.scan_id, result: 'duplicate', checked_in_at: early.scanned_at });
      expect((await reload(record)).checked_in_at!.toISOString()).toBe(early.scanned_at);
      const stored = await scansOf(record.id);
      expect(stored.filter((s) => s.result === 'accepted')).toHaveLength(1);
      expect(stored).toHaveLength(2);

      const audits = await AuditLog.count({ where: { object_uuid: record.uuid } });
      const again = await sync(event, [first, second, first]);
      expect(again.body.results.map((r: { result: string }) => r.result)).toEqual(['accepted', 'duplicate', 'accepted']);
      expect(again.body.results.every((r: { checked_in_at: string }) => r.checked_in_at === early.scanned_at)).toBe(true);
      expect(await scansOf(record.id)).toHaveLength(2);
      expect(await AuditLog.count({ where: { object_uuid: record.uuid } })).toBe(audits);
    },
  );

  it('two devices uploading the same ticket at the same instant: one accepted, the earliest time kept', async () => {
    const event = await openEvent();
    const { record } = await buildTicket({ event });
    const now = Date.now();
    const uploads = Array.from({ length: 8 }, (_, i) => [{
      scan_id: `dev${i}-${record.id}`, ticket: record.uuid, scanned_at: new Date(now - (i + 1) * MINUTE).toISOString(), device: `door-${i}`,
    }]);
    const results = await Promise.all(uploads.map((u) => sync(event, u)));
    const outcomes = results.map((r) => r.body.results[0].result);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(7);
    expect((await reload(record)).checked_in_at!.toISOString()).toBe(new Date(now - 8 * MINUTE).toISOString());
  });

  it('reports each scan: unknown, void and other-event tickets, bad times are invalid; an online check-in makes a scan duplicate', async () => {
    const event = await openEvent();
    const ok = await buildTicket({ event });
    const online = await buildTicket({ event });
    const cancelled = await buildTicket({ event });
    await cancelled.record.update({ status: 'cancelled' });
    const elsewhere = await buildTicket({ event: await openEvent() });
    const agent = await httpAgent();
    await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!)).send({ ticket_secret: online.code }).expect(200);
    const at = new Date().toISOString();
    const res = await sync(event, [
      { scan_id: 's1', ticket: ok.record.uuid, scanned_at: at, device: 'd' },
      { scan_id: 's2', ticket: online.record.uuid, scanned_at: new Date(Date.now() + 60_000).toISOString(), device: 'd' },
      { scan_id: 's3', ticket: cancelled.record.uuid, scanned_at: at, device: 'd' },
      { scan_id: 's4', ticket: elsewhere.record.uuid, scanned_at: at, device: 'd' },
      { scan_id: 's5', ticket: 'not-a-uuid', scanned_at: at, device: 'd' },
      { scan_id: 's6', ticket: ok.record.uuid, scanned_at: 'yesterday', device: 'd' },
      { scan_id: 's7', ticket: ok.record.uuid, scanned_at: new Date(Date.now() + 3_600_000).toISOString(), device: 'd' },
    ]);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.results.map((r: { result: string }) => r.result))
      .toEqual(['accepted', 'duplicate', 'invalid', 'invalid', 'invalid', 'invalid', 'invalid']);
    expect(res.body.results[2].reason).toMatch(/cancelled/);
    expect((await reload(elsewhere.record)).status).toBe('going');
    const bad = await (await httpAgent()).post(`/api/events/${event.uuid}/checkins/sync`).set('Authorization', await bearer(event.host!)).send({ scans: [] });
    expect(bad.status).toBe(400);
  });
});
