import { QueryTypes } from 'sequelize';
import { describe, expect, it } from 'vitest';
import { sequelize } from '../../src/db/connection.js';
import { TicketSecret } from '../../src/models/index.js';
import { api, bearer } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { buildTicket, expectProblem, openEvent, reload } from './helpers.js';

type Agent = Awaited<ReturnType<typeof api>>;

/** Seats a requester through the API's own accept (the one seating path) and returns their ticket as they see it. */
async function seatThroughAccept(agent: Agent, event: Awaited<ReturnType<typeof openEvent>>) {
  const user = await buildUser();
  const asked = await agent.post(`/api/events/${event.uuid}/requests`).set('Authorization', await bearer(user)).send({});
  expect(asked.status, JSON.stringify(asked.body)).toBe(201);
  const accepted = await agent.post(`/api/events/${event.uuid}/requests/${asked.body.uuid}/accept`).set('Authorization', await bearer(event.host!)).send({});
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  const mine = await agent.get('/api/tickets').set('Authorization', await bearer(user));
  expect(mine.body.results).toHaveLength(1);
  return { user, ticket: mine.body.results[0] };
}

describe('tickets from the seating path', () => {
  it('an accepted request has a ticket whose code and fingerprint match what the seating path stored', async () => {
    const event = await openEvent();
    const agent = await api();
    const { ticket } = await seatThroughAccept(agent, event);
    expect(ticket.ticket_secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);
    const [row] = await sequelize().query<{ ticket_secret: string; secret_lookup: string }>(`
      SELECT ar.ticket_secret, ts.secret_lookup FROM attendance_record ar JOIN ticket_secret ts ON ts.attendance_record_id = ar.id
       WHERE ar.uuid = $uuid`, { bind: { uuid: ticket.uuid }, type: QueryTypes.SELECT });
    expect(row!.ticket_secret).toBe(row!.secret_lookup);
    const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!)).send({ ticket_secret: ticket.ticket_secret });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  });
});

describe('a dump of the three tables', () => {
  it('holds no code and no one-time code, and nothing in it checks anyone in', async () => {
    const event = await openEvent();
    const agent = await api();
    const seated = [await buildTicket({ event }), await buildTicket({ event })];
    const { user, ticket } = await seatThroughAccept(agent, event);
    const otps: string[] = [];
    for (const t of [...seated.map((s) => ({ user: s.user, uuid: s.record.uuid })), { user, uuid: ticket.uuid }]) {
      const res = await agent.post(`/api/tickets/${t.uuid}/otp`).set('Authorization', await bearer(t.user));
      otps.push(res.body.otp_code);
    }
    const codes = [...seated.map((s) => s.code), ticket.ticket_secret as string];

    const dump = await sequelize().query<{ row: Record<string, unknown> }>(`
      SELECT to_jsonb(t) AS row FROM attendance_record t UNION ALL
      SELECT to_jsonb(t) FROM attendance_otp t UNION ALL
      SELECT to_jsonb(t) FROM ticket_secret t`, { type: QueryTypes.SELECT });
    const text = JSON.stringify(dump).toUpperCase();
    for (const code of codes) expect(text).not.toContain(code);
    const values = dump.flatMap((d) => Object.values(d.row)).filter((v): v is string => typeof v === 'string');
    for (const otp of otps) expect(values).not.toContain(otp);

    // Every string of the dump tried as a door code, and every 6-digit run as the one-time code of every ticket.
    const host = await bearer(event.host!);
    for (const value of new Set(values)) {
      const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: value });
      expect([400, 404]).toContain(res.status);
    }
    const runs = [...new Set(values.flatMap((v) => v.match(/\d{6}/g) ?? []))].slice(0, 3);
    for (const run of runs) {
      const res = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket: ticket.uuid, otp_code: run });
      expect(res.status).not.toBe(200);
    }
    for (const s of seated) expect((await reload(s.record)).status).toBe('going');
    // The real code still works: the dump did not help, the code did.
    const ok = await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: codes[0] });
    expect(ok.status).toBe(200);
    expect(await TicketSecret.count({ where: { is_redeemed: true, attendance_record_id: seated.map((s) => s.record.id) } })).toBe(1);
  });

  it('a secret row altered in the database (hash swapped) no longer admits: the salted hash is checked, not just the lookup', async () => {
    const event = await openEvent();
    const { record, code } = await buildTicket({ event });
    await TicketSecret.update({ secret_hash: '0'.repeat(64) }, { where: { attendance_record_id: record.id } });
    const agent = await api();
    expectProblem(await agent.post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!)).send({ ticket_secret: code }), 404);
  });
});
