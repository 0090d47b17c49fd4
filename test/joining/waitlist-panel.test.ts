import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog, EventAttendee, EventRequest } from '../../src/models/index.js';
import { bearer } from '../support/app.js';
import { buildAttendee, buildEvent, buildRequest } from '../support/factories.js';
import { staffAgent, type Agent } from '../admin/support.js';
import { closeServer, http_, recount } from './helpers.js';

afterAll(closeServer);

describe('panel waitlist: list with positions, "Admit now" and "Remove" through the commands', () => {
  let panel: Agent;
  beforeAll(async () => {
    panel = (await staffAgent()).agent;
  });

  it('lists an event\'s waitlist in order with positions; Admit now refuses when full and admits when a seat is free; Remove declines', async () => {
    const api = await http_();
    const event = await buildEvent({ max_capacity: 1, waitlist_enabled: true, allow_plus_one: true });
    const { attendee } = await buildAttendee({ event });
    const head = await buildRequest({ event, seats_requested: 2 });
    const next = await buildRequest({ event });
    const last = await buildRequest({ event });
    const host = await bearer(event.host);
    for (const r of [head, next, last]) {
      expect((await api.post(`/api/events/${event.uuid}/requests/${r.uuid}/accept`).set('Authorization', host).send({})).body.status).toBe('waitlisted');
    }

    const list = await panel.get(`/admin/api/resources/event_request/actions/list?filters.event_id=${event.id}&filters.status=waitlisted&sortBy=waitlist_seq&direction=asc`);
    expect(list.status).toBe(200);
    expect(list.body.records.map((r: { params: { uuid: string; waitlist_position: number } }) => [r.params.uuid, r.params.waitlist_position]))
      .toEqual([[head.uuid, 1], [next.uuid, 2], [last.uuid, 3]]);
    const link = await panel.get(`/admin/api/resources/event/records/${event.id}/waitlist`);
    expect(link.body.redirectUrl).toContain(`filters.event_id=${event.id}&filters.status=waitlisted&sortBy=waitlist_seq`);

    // GET renders the form only; POST runs the command — refused while no seat is free.
    await panel.get(`/admin/api/resources/event_request/records/${next.id}/admitNow`);
    expect((await EventRequest.findByPk(next.id))!.status).toBe('waitlisted');
    const full = await panel.post(`/admin/api/resources/event_request/records/${next.id}/admitNow`).type('form').send({});
    expect(full.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/^No seat is free: 1 going and 0 held of 1/) });

    // One seat frees: the 2-seat head waits (strict order), so nobody is admitted until staff admit #2 out of turn.
    await api.post(`/api/events/${event.uuid}/attendees/${attendee.uuid}/cancel`).set('Authorization', host);
    expect((await EventRequest.findByPk(head.id))!.status).toBe('waitlisted');
    const admitted = await panel.post(`/admin/api/resources/event_request/records/${next.id}/admitNow`).type('form').send({});
    expect(admitted.body.notice).toMatchObject({ type: 'success', message: 'Admitted: attendee added' });
    expect(await EventAttendee.count({ where: { event_id: event.id, user_id: next.requester_id, status: 'going' } })).toBe(1);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1 });

    const removed = await panel.post(`/admin/api/resources/event_request/records/${last.id}/removeFromWaitlist`).type('form')
      .send({ host_message: 'Full for good' });
    expect(removed.body.notice).toMatchObject({ type: 'success' });
    expect(await EventRequest.findByPk(last.id)).toMatchObject({ status: 'declined', waitlist_seq: null, host_message: 'Full for good' });
    expect(await AuditLog.count({ where: { command: 'joining.waitlist.remove', object_uuid: last.uuid } })).toBe(1);
    const again = await panel.post(`/admin/api/resources/event_request/records/${last.id}/removeFromWaitlist`).type('form').send({});
    expect(again.body.notice).toMatchObject({ type: 'error' });
  });
});
