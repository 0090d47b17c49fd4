import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { CapacityReservation, PaymentOrder } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { OPEN_STATUSES } from './orders.js';
import { admitFromWaitlist } from '../../joining/commands/index.js';

/**
 * Job: unpaid orders past expires_at become `cancelled` with failure_reason "expired" and their
 * holds are released (admitting from the waitlists) — one batch per transaction (SKIP LOCKED: an order being paid right now is
 * left to its payment), one audit row per batch. Idempotent: a second run finds nothing.
 */
export async function expireOrders(ctx: Context, { batchSize = 500, maxBatches = 20 } = {}): Promise<{ expired: number; holds_released: number }> {
  let expired = 0;
  let holdsReleased = 0;
  for (let i = 0; i < maxBatches; i++) {
    const batch = await withTransaction(ctx, async (tx, ctx) => {
      const now = ctx.now();
      const due = await PaymentOrder.findAll({
        where: { status: { [Op.in]: [...OPEN_STATUSES] }, expires_at: { [Op.lte]: now } },
        attributes: ['id', 'uuid', 'reservation_id', 'event_id'], order: [['expires_at', 'ASC']], limit: batchSize,
        lock: tx.LOCK.UPDATE, skipLocked: true, transaction: tx,
      });
      if (!due.length) return { n: 0, holds: 0 };
      await PaymentOrder.update({ status: 'cancelled', failure_reason: 'expired' }, {
        where: { id: due.map((o) => o.id), status: { [Op.in]: [...OPEN_STATUSES] } }, transaction: tx,
      });
      const holdIds = due.flatMap((o) => (o.reservation_id ? [o.reservation_id] : []));
      const [holds] = holdIds.length
        ? await CapacityReservation.update({ released_at: now }, { where: { id: holdIds, consumed: false, released_at: null }, transaction: tx })
        : [0];
      await audit(ctx, {
        action: 'update', command: 'payments.order.expire', object: { type: 'payment_order' },
        newValues: { status: 'cancelled', failure_reason: 'expired', holds_released: holds },
        payload: { order_uuids: due.map((o) => o.uuid) },
      });
      // The released seats go to the events' waitlists (event id order: concurrent runs lock alike).
      if (holds) {
        for (const eventId of [...new Set(due.map((o) => Number(o.event_id)))].sort((a, b) => a - b)) await admitFromWaitlist(ctx, eventId);
      }
      return { n: due.length, holds };
    });
    expired += batch.n;
    holdsReleased += batch.holds;
    if (batch.n < batchSize) break;
  }
  return { expired, holds_released: holdsReleased };
}
