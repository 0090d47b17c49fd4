import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { CapacityReservation } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { OPEN_HOLD } from '../rules.js';

/**
 * Open holds past expires_at are released, with one audit row: by the sweep (the oldest `limit`
 * anywhere) or by a read of one event that notices them (`noticedBy`). They stopped counting when
 * they expired; this only records it. Rows locked elsewhere (a hold being paid right now) are skipped.
 * Inside the caller's transaction; returns what it released.
 */
export async function releaseDueHolds(
  ctx: Context, scope: { limit: number } | { eventId: number; noticedBy: string },
): Promise<CapacityReservation[]> {
  const tx = ctx.transaction!;
  const now = ctx.now();
  const due = await CapacityReservation.findAll({
    where: { ...OPEN_HOLD, expires_at: { [Op.lte]: now }, ...('eventId' in scope ? { event_id: scope.eventId } : {}) },
    attributes: ['id', 'reservation_key', 'event_id'], transaction: tx, lock: tx.LOCK.UPDATE, skipLocked: true,
    ...('limit' in scope ? { limit: scope.limit, order: [['expires_at', 'ASC']] } : {}),
  });
  if (!due.length) return due;
  await CapacityReservation.update({ released_at: now }, { where: { id: due.map((r) => r.id), ...OPEN_HOLD }, transaction: tx });
  await audit(ctx, {
    action: 'update', command: 'joining.reservation.expire', object: { type: 'capacity_reservation' },
    newValues: { released_at: now.toISOString() },
    payload: { reservation_keys: due.map((r) => r.reservation_key), ...('noticedBy' in scope ? { noticed_by: scope.noticedBy } : {}) },
  });
  return due;
}
