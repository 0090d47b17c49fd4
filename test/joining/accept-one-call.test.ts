import { describe, expect, it } from 'vitest';
import { QueryTypes, type Transaction } from 'sequelize';
import { buildAttendee, buildEvent, buildPaidEvent, buildRequest } from '../support/factories.js';
import { createContext, type Context } from '../../src/context.js';
import { sequelize } from '../../src/db/connection.js';
import { withTransaction } from '../../src/db/transaction.js';
import { AuditLog, EventRequest, Notification, type Event } from '../../src/models/index.js';
import { acceptRequest } from '../../src/modules/joining/commands/requests.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { recount } from './helpers.js';

/*
 * acceptRequest writes through one SQL function (joining_accept_request) in autocommit, or inside
 * the caller's transaction when it brings one. These pin what that path must keep: the audit rows
 * get sealed without a Sequelize after-commit hook, and nested use joins the outer transaction
 * (its rollback undoes the accept; a refusal leaves it usable).
 */
const hostCtx = (event: Event): Context =>
  createContext({ source: 'admin', actor: { id: event.host_id, uuid: 'host', is_staff: false, is_superuser: false } });

const auditRows = (objectId: number) =>
  AuditLog.findAll({ where: { command: 'joining.request.accept', object_id: objectId }, attributes: ['id', 'row_hash', 'subject_digest'] });

describe('accept in one SQL call', () => {
  it('autocommit: seats, counters, notification and audit rows, which the sealer then chains', async () => {
    const event = await buildEvent({ max_capacity: 2 });
    const request = await buildRequest({ event });
    const { attendee } = await acceptRequest(hostCtx(event), { requestUuid: request.uuid, hostMessage: 'Welcome' });
    expect(attendee).toMatchObject({ seats: 1, status: 'going', request_id: request.id });
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1, requests_count: 0, pending: 0 });
    expect(await Notification.count({ where: { recipient_id: request.requester_id, reference_id: request.id } })).toBe(1);
    const admitted = await AuditLog.findOne({ where: { command: 'joining.attendee.admit', object_uuid: attendee!.uuid } });
    expect(admitted).toMatchObject({ action: 'create', object_id: attendee!.id, user_id: request.requester_id });
    await settleSeal();
    const [row] = await auditRows(request.id);
    expect(row!.row_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('inside a caller transaction: joins it, so its rollback undoes the accept', async () => {
    const event = await buildEvent({ max_capacity: 2 });
    const request = await buildRequest({ event });
    await expect(withTransaction(hostCtx(event), async (_tx, ctx) => {
      await acceptRequest(ctx, { requestUuid: request.uuid });
      expect((await EventRequest.findByPk(request.id, { transaction: ctx.transaction }))!.status).toBe('accepted');
      throw new Error('caller gives up');
    })).rejects.toThrow('caller gives up');
    expect((await request.reload()).status).toBe('pending');
    expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0, requests_count: 1, pending: 1 });
    expect(await auditRows(request.id)).toHaveLength(0);
  });

  it('inside a caller transaction: a refusal is the same 409 and leaves that transaction usable', async () => {
    const event = await buildPaidEvent({ max_capacity: 1 });
    await buildAttendee({ event });
    await event.update({ going_count: 1 });
    const request = await buildRequest({ event });
    await withTransaction(hostCtx(event), async (tx, ctx) => {
      await expect(acceptRequest(ctx, { requestUuid: request.uuid })).rejects.toMatchObject({ status: 409, message: 'Event is full' });
      const [alive] = await sequelize().query<{ ok: number }>('SELECT 1 AS ok', { transaction: tx, type: QueryTypes.SELECT });
      expect(alive!.ok).toBe(1);
    });
    expect((await request.reload()).status).toBe('pending');
    expect(await recount(event.id)).toMatchObject({ going_count: 1, held: 0, requests_count: 1, pending: 1 });
  });

  // Migration 1100: seating checks its inserts' event keys at commit, after its own claim has locked
  // the event row, instead of taking FOR KEY SHARE on that row before the claim (0420). Elsewhere
  // they stay checked per statement, and inside seating they are still checked, at commit.
  describe('foreign keys to the event', () => {
    const orphan = (userId: number, transaction?: Transaction) => sequelize().query(
      `INSERT INTO event_attendee (event_id, user_id, seats, status, is_paid, price_paid, created_at, updated_at)
       VALUES (-1, :userId, 1, 'going', false, 0, now(), now())`, { replacements: { userId }, transaction });

    it('outside seating: a row naming no event fails at its own statement', async () => {
      const event = await buildEvent();
      await expect(orphan(event.host_id)).rejects.toMatchObject({ parent: { code: '23503' } });
    });

    it('after a seating call: checked at commit, so the whole transaction still fails and writes nothing', async () => {
      const event = await buildEvent({ max_capacity: 2 });
      const request = await buildRequest({ event });
      let deferred = false;
      await expect(withTransaction(hostCtx(event), async (tx, ctx) => {
        await acceptRequest(ctx, { requestUuid: request.uuid });
        await orphan(event.host_id, tx);
        deferred = true;
      })).rejects.toMatchObject({ parent: { code: '23503' } });
      expect(deferred).toBe(true);
      expect((await request.reload()).status).toBe('pending');
      expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0, requests_count: 1, pending: 1 });
    });
  });
});
