import type { ActionContext, ActionRequest } from 'adminjs';
import { describe, expect, it } from 'vitest';
import { eventActions } from '../../resources/actions/events.js';
import { AuditLog, Event } from '../../src/models/index.js';
import { buildEvent, buildRequest, buildStaff } from '../support/factories.js';
import { notificationsOf } from './helpers.js';

/** The slice of AdminJS's action context a record action touches (the command itself hits the real DB). */
function adminCall(event: Event, staff: { id: number; uuid: string }, method: 'get' | 'post', payload: Record<string, string> = {}) {
  const record = { params: { uuid: event.uuid, status: event.status }, id: () => String(event.id), toJSON: () => ({ id: String(event.id) }) };
  const context = {
    record, currentAdmin: { id: staff.id, uuid: staff.uuid, is_staff: true, email: 'staff@loopin.test' },
    resource: { findOne: async () => record },
  } as unknown as ActionContext;
  const request = { method, payload, headers: { 'user-agent': 'vitest' } } as unknown as ActionRequest;
  return { context, request };
}

describe('AdminJS event actions', () => {
  it('offers exactly the lifecycle moves the state machine allows', () => {
    const visible = (name: string, status: string) =>
      (eventActions[name]!.isVisible as (c: unknown) => boolean)({ record: { params: { status } } });
    expect(['publish', 'postpone', 'cancel', 'complete'].filter((a) => visible(a, 'draft'))).toEqual(['publish', 'cancel']);
    expect(['publish', 'postpone', 'cancel', 'complete'].filter((a) => visible(a, 'published'))).toEqual(['postpone', 'cancel', 'complete']);
    expect(['publish', 'postpone', 'cancel', 'complete'].filter((a) => visible(a, 'completed'))).toEqual([]);
  });

  it('only renders the confirmation on GET, and runs the cancel command on POST with the staff actor', async () => {
    const staff = await buildStaff();
    const event = await buildEvent({ status: 'published' });
    const request = await buildRequest({ event });
    const get = adminCall(event, staff, 'get');
    await eventActions.cancel!.handler(get.request, {}, get.context);
    expect((await event.reload()).status).toBe('published');

    const post = adminCall(event, staff, 'post', { reason: 'Storm warning' });
    const res = await eventActions.cancel!.handler(post.request, {}, post.context);
    expect(res.notice).toMatchObject({ type: 'success' });
    expect((await event.reload()).status).toBe('cancelled');
    expect((await notificationsOf(request.requester.id, 'event_cancelled'))[0]!.message).toContain('Storm warning');
    const audit = await AuditLog.findOne({ where: { command: 'events.cancel', object_uuid: event.uuid } });
    expect(audit).toMatchObject({ actor_user_id: staff.id, payload: expect.objectContaining({ source: 'admin' }) });
  });

  it('reports a refused transition as an error notice and changes nothing', async () => {
    const staff = await buildStaff();
    const event = await buildEvent({ status: 'completed' });
    const post = adminCall(event, staff, 'post');
    const res = await eventActions.publish!.handler(post.request, {}, post.context);
    expect(res.notice).toMatchObject({ type: 'error' });
    expect(res.notice!.message).toContain("'completed'");
    expect((await event.reload()).status).toBe('completed');
  });
});
