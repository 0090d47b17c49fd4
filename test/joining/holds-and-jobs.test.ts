import { describe, expect, it } from 'vitest';
import { buildEvent, buildInvite, buildPaidEvent, buildRequest, buildReservation, buildStaff, buildUser } from '../support/factories.js';
import { createContext, systemContext } from '../../src/context.js';
import { clock, HOUR, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, CapacityReservation, EventInvite } from '../../src/models/index.js';
import { expireHolds, releaseReservation } from '../../src/modules/joining/commands/holds.js';
import { expireInvites } from '../../src/modules/joining/commands/invites.js';
import { genderAllowed, closedReason } from '../../src/modules/joining/rules.js';
import { requestActions, attendeeActions, reservationActions } from '../../resources/actions/joining.js';
import { recount } from './helpers.js';

const actorOf = (u: { id: number; uuid: string; is_staff: boolean; is_superuser: boolean }) =>
  createContext({ source: 'admin', actor: { id: u.id, uuid: u.uuid, is_staff: u.is_staff, is_superuser: u.is_superuser } });

describe('holds and sweeps', () => {
  it('releasing a hold frees its seats at once; only its holder or staff may; twice is 409', async () => {
    const event = await buildPaidEvent({ max_capacity: 1 });
    const holder = await buildUser();
    const hold = await buildReservation({ event, user: holder });
    expect(await recount(event.id)).toMatchObject({ held: 1 });
    await expect(releaseReservation(actorOf(await buildUser()), { reservationKey: hold.reservation_key })).rejects.toMatchObject({ status: 404 });
    await releaseReservation(actorOf(await buildStaff()), { reservationKey: hold.reservation_key });
    expect(await recount(event.id)).toMatchObject({ held: 0 });
    await expect(releaseReservation(actorOf(holder), { reservationKey: hold.reservation_key })).rejects.toMatchObject({ status: 409 });
    expect(await AuditLog.count({ where: { command: 'joining.reservation.release', object_uuid: hold.reservation_key } })).toBe(1);
  });

  it('expire-holds marks only expired, unconsumed holds as released, and is idempotent', async () => {
    clock.set(new Date());
    const event = await buildPaidEvent({ max_capacity: 10 });
    const old = await buildReservation({ event, expires_at: new Date(clock.now().getTime() - MINUTE) });
    const live = await buildReservation({ event });
    const paid = await buildReservation({ event, consumed: true, expires_at: new Date(clock.now().getTime() - MINUTE) });
    expect(await expireHolds(systemContext('job'))).toEqual({ released: 1 });
    expect(await expireHolds(systemContext('job'))).toEqual({ released: 0 });
    expect((await old.reload()).released_at?.toISOString()).toBe(clock.now().toISOString());
    expect((await live.reload()).released_at).toBeNull();
    expect((await paid.reload()).released_at).toBeNull();
    expect(await CapacityReservation.count({ where: { event_id: event.id, released_at: null } })).toBe(2);
  });

  it('expire-invites marks pending invites past expiry, and is idempotent', async () => {
    clock.set(new Date());
    const event = await buildEvent();
    const due = await buildInvite({ event, expires_at: new Date(clock.now().getTime() + HOUR) });
    const later = await buildInvite({ event, expires_at: new Date(clock.now().getTime() + 2 * HOUR) });
    clock.advance(HOUR);
    expect(await expireInvites(systemContext('job'))).toEqual({ expired: 1 });
    expect(await expireInvites(systemContext('job'))).toEqual({ expired: 0 });
    expect((await due.reload()).status).toBe('expired');
    expect((await later.reload()).status).toBe('pending');
    expect(await EventInvite.count({ where: { event_id: event.id, status: 'expired' } })).toBe(1);
  });
});

describe('admin actions are doors to the same commands', () => {
  it('exports approve/decline (single and bulk), cancel and release as record/bulk actions', () => {
    expect(Object.keys(requestActions).sort()).toEqual(['approve', 'bulkApprove', 'bulkDecline', 'decline']);
    expect(requestActions.approve!.actionType).toBe('record');
    expect(requestActions.bulkApprove!.actionType).toBe('bulk');
    expect(Object.keys(attendeeActions)).toEqual(['cancel']);
    expect(Object.keys(reservationActions)).toEqual(['release']);
  });

  it('Approve (POST) accepts through acceptRequest: counters, attendee and a success notice; GET changes nothing', async () => {
    const event = await buildEvent({ max_capacity: 1 });
    const request = await buildRequest({ event });
    const staff = await buildStaff();
    const record = { params: { uuid: request.uuid, status: 'pending' }, id: () => String(request.id), toJSON: () => ({}) };
    const context = { record, currentAdmin: { id: staff.id, uuid: staff.uuid, is_staff: true, email: staff.email }, resource: { findOne: async () => null } };
    await requestActions.approve!.handler({ method: 'get' } as never, {}, context as never);
    expect(await recount(event.id)).toMatchObject({ going_count: 0, requests_count: 1 });
    const res = await requestActions.approve!.handler({ method: 'post', payload: { host_message: 'See you' } } as never, {}, context as never);
    expect(res.notice).toMatchObject({ type: 'success' });
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, requests_count: 0 });
    const again = await requestActions.approve!.handler({ method: 'post', payload: {} } as never, {}, context as never);
    expect(again.notice).toMatchObject({ type: 'error', message: 'Request is accepted' });
  });
});

describe('rules', () => {
  it('maps allowed_genders onto profile genders', () => {
    expect(genderAllowed('all', null)).toBe(true);
    expect(genderAllowed('male', 'male')).toBe(true);
    expect(genderAllowed('female', 'male')).toBe(false);
    expect(genderAllowed('non_binary', 'other')).toBe(true);
    expect(genderAllowed('non_binary', 'prefer_not_to_say')).toBe(false);
    expect(genderAllowed('male', null)).toBe(false);
  });
  it('an event takes joiners only while published, active and not started', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const future = new Date('2030-01-02T00:00:00Z');
    expect(closedReason({ status: 'published', is_active: true, start_time: future }, now)).toBeNull();
    expect(closedReason({ status: 'cancelled', is_active: true, start_time: future }, now)).toBe('Event is cancelled');
    expect(closedReason({ status: 'published', is_active: false, start_time: future }, now)).toBe('Event is inactive');
    expect(closedReason({ status: 'published', is_active: true, start_time: now }, now)).toBe('Event has already started');
  });
});

describe('OpenAPI', () => {
  it('documents every joining path, including the share-link redemption', async () => {
    const { testApp } = await import('../support/app.js');
    const supertest = (await import('supertest')).default;
    const doc = (await supertest(await testApp()).get('/api/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    for (const [path, method] of [
      ['/events/{event}/requests', 'post'], ['/events/{event}/requests', 'get'], ['/requests', 'get'], ['/requests/{uuid}/cancel', 'post'],
      ['/events/{event}/requests/{uuid}/accept', 'post'], ['/events/{event}/requests/{uuid}/decline', 'post'],
      ['/events/{event}/invites', 'post'], ['/events/{event}/invites/share-link', 'post'], ['/events/{event}/invites/{uuid}/revoke', 'post'],
      ['/invites/share-link/accept', 'post'], ['/invites', 'get'], ['/invites/{uuid}/accept', 'post'], ['/invites/{uuid}/decline', 'post'],
      ['/events/{event}/attendees', 'get'], ['/events/{event}/attendees/{uuid}/cancel', 'post'],
    ] as const) {
      expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    expect(Object.keys((doc.paths['/events/{event}/requests/{uuid}/accept']!.post as { responses: object }).responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '403', '404', '409']),
    );
  });
});
