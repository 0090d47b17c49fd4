import { Op, type WhereOptions } from 'sequelize';
import type { Context } from '../../context.js';
import { toPage } from '../../http/pagination.js';
import { decodeCursor, encodeCursor } from '../../lib/cursor.js';
import { ValidationFailed } from '../../lib/errors.js';
import { LedgerEntry, Payout } from '../../models/index.js';
import { hostBalances, presentBalance } from './balance.js';
import { requireActor } from './policy.js';
import { presentLedgerEntry, presentPayout } from './presenter.js';

/** The caller's own money, newest first (keyset on id). Nobody sees another host's ledger here. */
export async function myBalance(ctx: Context) {
  const actor = requireActor(ctx.actor);
  return (await hostBalances(actor.id, ctx.now())).map(presentBalance);
}

export async function myLedger(ctx: Context, q: { cursor?: string; page_size: number }) {
  const actor = requireActor(ctx.actor);
  const rows = await LedgerEntry.findAll({
    where: { [Op.and]: [{ host_id: actor.id }, before(q.cursor)] },
    include: [
      { association: 'order', attributes: ['id', 'uuid', 'order_reference'] },
      { association: 'event', attributes: ['id', 'uuid', 'slug', 'title'] },
    ],
    order: [['id', 'DESC']],
    limit: q.page_size + 1,
  });
  return toPage(rows, q.page_size, presentLedgerEntry, (r) => encodeCursor([r.id]));
}

export async function myPayouts(ctx: Context, q: { cursor?: string; page_size: number }) {
  const actor = requireActor(ctx.actor);
  const rows = await Payout.findAll({
    where: { [Op.and]: [{ host_id: actor.id }, before(q.cursor)] }, order: [['id', 'DESC']], limit: q.page_size + 1,
  });
  return toPage(rows, q.page_size, presentPayout, (r) => encodeCursor([r.id]));
}

function before(cursor: string | undefined): WhereOptions {
  const values = decodeCursor(cursor, 1);
  if (!values) return {};
  const id = values[0];
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) throw ValidationFailed.field('cursor', 'is not a valid cursor');
  return { id: { [Op.lt]: id } };
}
