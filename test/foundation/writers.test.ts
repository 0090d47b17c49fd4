import { describe, expect, it } from 'vitest';
import { createContext } from '../../src/context.js';
import { withTransaction } from '../../src/db/transaction.js';
import { AuditLog, Notification, Venue } from '../../src/models/index.js';
import { audit, auditFailure } from '../../src/modules/audit/writer.js';
import { notify } from '../../src/modules/notifications/writer.js';
import { buildUser } from '../support/factories.js';

async function actorContext() {
  const user = await buildUser();
  const ctx = createContext({
    source: 'api',
    actor: { id: user.id, uuid: user.uuid, is_staff: false, is_superuser: false },
    ip: '203.0.113.9',
    userAgent: 'vitest',
  });
  return { user, ctx };
}

describe('command transaction, audit and notification writers', () => {
  it('commits the change, its audit row and its notification together', async () => {
    const { user, ctx } = await actorContext();
    const venue = await withTransaction(ctx, async (tx, c) => {
      const v = await Venue.create({ name: 'Blue Room', city: 'Goa', venue_type: 'indoor' }, { transaction: tx });
      await audit(c, { action: 'create', command: 'test.create_venue', object: { type: 'venue', id: v.id, uuid: v.uuid }, newValues: { name: 'Blue Room' } });
      await notify(c, { recipientId: user.id, type: 'system', title: 'Venue added', message: 'Blue Room is in' });
      return v;
    });
    const row = await AuditLog.findOne({ where: { command: 'test.create_venue' } });
    expect(row).toMatchObject({
      actor_user_id: user.id, action: 'create', object_type: 'venue', object_id: venue.id, object_uuid: venue.uuid,
      ip_address: '203.0.113.9', user_agent: 'vitest', is_successful: true, severity: 'low',
    });
    expect(row?.new_values).toEqual({ name: 'Blue Room' });
    expect(await Notification.count({ where: { recipient_id: user.id } })).toBe(1);
  });

  it('rolls back the change, the audit row and the notification when the command fails', async () => {
    const { user, ctx } = await actorContext();
    await expect(withTransaction(ctx, async (tx, c) => {
      await Venue.create({ name: 'Ghost Hall', venue_type: 'indoor' }, { transaction: tx });
      await audit(c, { action: 'create', command: 'test.rolled_back' });
      await notify(c, { recipientId: user.id, type: 'system', title: 'x', message: 'y' });
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect(await Venue.count({ where: { name: 'Ghost Hall' } })).toBe(0);
    expect(await AuditLog.count({ where: { command: 'test.rolled_back' } })).toBe(0);
    expect(await Notification.count({ where: { recipient_id: user.id } })).toBe(0);
  });

  it('keeps a failure audit row although the command rolls back', async () => {
    const { ctx } = await actorContext();
    await expect(withTransaction(ctx, async (_tx, c) => {
      await auditFailure(c, { action: 'login', command: 'test.failed_login', errorMessage: 'wrong code' });
      throw new Error('wrong code');
    })).rejects.toThrow();
    const row = await AuditLog.findOne({ where: { command: 'test.failed_login' } });
    expect(row).toMatchObject({ is_successful: false, error_message: 'wrong code', severity: 'medium' });
  });

  it('joins the outer transaction when commands nest', async () => {
    const { ctx } = await actorContext();
    await expect(withTransaction(ctx, async (_tx, outer) => {
      await withTransaction(outer, async (tx) => Venue.create({ name: 'Nested', venue_type: 'outdoor' }, { transaction: tx }));
      throw new Error('outer fails');
    })).rejects.toThrow();
    expect(await Venue.count({ where: { name: 'Nested' } })).toBe(0);
  });

  it('refuses to audit or notify outside a transaction', async () => {
    const { user, ctx } = await actorContext();
    await expect(audit(ctx, { action: 'update', command: 'test.no_tx' })).rejects.toThrow(/transaction/);
    await expect(notify(ctx, { recipientId: user.id, type: 'system', title: 't', message: 'm' })).rejects.toThrow(/transaction/);
  });
});
