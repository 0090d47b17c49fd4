import { Op, QueryTypes, literal } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { decodeCursor, encodeCursor } from '../../../lib/cursor.js';
import { NotFound, ValidationFailed } from '../../../lib/errors.js';
import { AuthUser, Notification } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { isUuid } from '../../../lib/uuid.js';
import { requireRecipient } from '../policy.js';

const senderInclude = { model: AuthUser, as: 'sender', attributes: ['uuid', 'first_name', 'last_name'] };

function me(ctx: Context) {
  return requireRecipient(ctx.actor);
}

/**
 * The actor's notifications, newest first (created_at, then id: the feed index). The cursor
 * carries the last row's created_at and uuid — never the numeric id — and the id tie-break is
 * looked up from the uuid inside the query.
 */
export async function listNotifications(ctx: Context, q: { unread: boolean; cursor?: string; pageSize: number }) {
  const actor = me(ctx);
  const after = decodeCursor(q.cursor, 2);
  const where: Record<string | symbol, unknown> = { recipient_id: actor.id };
  if (q.unread) where.is_read = false;
  if (after) {
    const [at, uuid] = after;
    if (typeof at !== 'string' || Number.isNaN(Date.parse(at)) || typeof uuid !== 'string' || !isUuid(uuid)) {
      throw ValidationFailed.field('cursor', 'is not a valid cursor');
    }
    where[Op.and] = literal(
      `("Notification"."created_at", "Notification"."id") < (${sequelize().escape(new Date(at as string))}::timestamptz,
        COALESCE((SELECT id FROM notification WHERE uuid = ${sequelize().escape(uuid as string)} AND recipient_id = ${Number(actor.id)}), 0))`,
    );
  }
  const rows = await Notification.findAll({
    where, include: [senderInclude], order: [['created_at', 'DESC'], ['id', 'DESC']], limit: q.pageSize + 1,
  });
  return { rows, cursorOf: (n: Notification) => encodeCursor([n.created_at.toISOString(), n.uuid]) };
}

/** Unread count for the badge: served by the partial index notification_recipient_unread. */
export async function countUnread(ctx: Context): Promise<number> {
  const actor = me(ctx);
  const [row] = await sequelize().query<{ n: number }>(
    'SELECT count(*)::int AS n FROM notification WHERE recipient_id = :me AND NOT is_read',
    { replacements: { me: actor.id }, type: QueryTypes.SELECT },
  );
  return row!.n;
}

/** Marks one of the actor's notifications read. Someone else's (or an unknown uuid) is 404. Idempotent. */
export async function markRead(ctx: Context, uuid: string): Promise<Notification> {
  const actor = me(ctx);
  if (!isUuid(uuid)) throw new NotFound('Notification');
  return withTransaction(ctx, async (tx, ctx) => {
    const n = await Notification.findOne({
      where: { uuid: uuid.toLowerCase(), recipient_id: actor.id }, include: [senderInclude], transaction: tx, lock: { level: tx.LOCK.UPDATE, of: Notification },
    });
    if (!n) throw new NotFound('Notification');
    if (!n.is_read) {
      await n.update({ is_read: true }, { transaction: tx });
      await audit(ctx, {
        action: 'update', command: 'notifications.mark_read', object: { type: 'notification', id: n.id, uuid: n.uuid },
        oldValues: { is_read: false }, newValues: { is_read: true },
      });
    }
    return n;
  });
}

/** Marks every unread notification of the actor read, in one UPDATE. */
export async function markAllRead(ctx: Context): Promise<{ updated: number }> {
  const actor = me(ctx);
  return withTransaction(ctx, async (tx, ctx) => {
    const [updated] = await Notification.update(
      { is_read: true }, { where: { recipient_id: actor.id, is_read: false }, transaction: tx },
    );
    if (updated > 0) {
      await audit(ctx, {
        action: 'update', command: 'notifications.mark_all_read', object: { type: 'auth_user', id: actor.id, uuid: actor.uuid },
        newValues: { is_read: true }, payload: { updated },
      });
    }
    return { updated };
  });
}
