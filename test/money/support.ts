import { sequelize } from '../../src/db/connection.js';
import { createContext, type Actor, type Context } from '../../src/context.js';
import { fromMinor, toMinor } from '../../src/lib/money.js';
import { clock, DAY, HOUR } from '../../src/lib/clock.js';
import { PaymentTransaction, type AuthUser, type Event, type PaymentOrder } from '../../src/models/index.js';
import { recordMoneyEvent } from '../../src/modules/money/ledger.js';
import { setPayoutAccount } from '../../src/modules/money/commands/account.js';
import { buildEvent, buildOrder, buildStaff, buildUser } from '../support/factories.js';

export const actorOf = (u: AuthUser): Actor => ({ id: u.id, uuid: u.uuid, is_staff: u.is_staff, is_superuser: u.is_superuser, email: u.email });
export const ctxOf = (u: AuthUser | null, source: Context['source'] = 'admin'): Context =>
  createContext({ source, actor: u ? actorOf(u) : null });

export async function staffCtx(): Promise<Context> {
  return ctxOf(await buildStaff());
}

/** A paid event of `host` that ended `endedDaysAgo` days ago (negative: still ahead). */
export async function pastEvent(host: AuthUser, endedDaysAgo: number, price = '500.00'): Promise<Event> {
  const end = new Date(clock.now().getTime() - endedDaysAgo * DAY);
  return buildEvent({ host, is_paid: true, ticket_price: price, start_time: new Date(end.getTime() - 3 * HOUR), end_time: end });
}

/**
 * What payments' fulfilment does, reduced to the money: the order becomes paid and its ledger
 * entries are booked in the same transaction.
 */
export async function payOrder(event: Event, opts: { amount?: string; fee?: string; currency?: 'INR' | 'USD' } = {}): Promise<PaymentOrder> {
  const order = await buildOrder({ event, amount: opts.amount ?? event.ticket_price, currency: opts.currency ?? 'INR', status: 'created' });
  await sequelize().transaction(async (transaction) => {
    const ctx = { ...createContext({ source: 'webhook' }), transaction };
    await order.update({ status: 'paid' }, { transaction });
    await PaymentTransaction.create({ payment_order_id: order.id, transaction_type: 'payment', amount: order.amount, status: 'completed' }, { transaction });
    await recordMoneyEvent(ctx, { type: 'sale', order, fee: opts.fee ?? '0.00' });
  });
  return order;
}

/** What payments' refund / chargeback does: a completed transaction, the order's refund_amount, and the ledger entry. */
export async function moneyBack(order: PaymentOrder, amount: string, type: 'refund' | 'chargeback' = 'refund'): Promise<PaymentTransaction> {
  return sequelize().transaction(async (transaction) => {
    const ctx = { ...createContext({ source: 'webhook' }), transaction };
    const t = await PaymentTransaction.create({ payment_order_id: order.id, transaction_type: type, amount, status: 'completed' }, { transaction });
    const refunded = toMinor(order.refund_amount) + toMinor(amount);
    await order.update({ refund_amount: fromMinor(refunded), status: refunded === toMinor(order.amount) ? 'refunded' : order.status }, { transaction });
    await recordMoneyEvent(ctx, { type, order, transaction: t });
    return t;
  });
}

export const ACCOUNT = { account_holder: 'Asha Host', account_number: '123456789012', ifsc: 'HDFC0001234' };

export async function hostWithAccount(): Promise<AuthUser> {
  const host = await buildUser();
  await setPayoutAccount(ctxOf(host, 'api'), ACCOUNT);
  return host;
}

/** Sum of a host's ledger entries (minor units) per currency, optionally of some kinds only. */
export async function ledgerSum(hostId: number, currency: string, kinds?: string[]): Promise<number> {
  const [row] = await sequelize().query<{ s: string | null }>(
    `SELECT SUM(amount)::text AS s FROM ledger_entry WHERE host_id = :hostId AND currency = :currency ${kinds ? 'AND kind IN (:kinds)' : ''}`,
    { replacements: { hostId, currency, kinds: kinds ?? [] }, type: 'SELECT' as never },
  );
  const s = row?.s ?? '0';
  return s.startsWith('-') ? -toMinor(s.slice(1)) : toMinor(s);
}

/** Rows of every public table whose text form contains `needle`. */
export async function tablesContaining(needle: string): Promise<string[]> {
  const tables = (await sequelize().query<{ t: string }>(
    "SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'", { type: 'SELECT' as never })).map((r) => r.t);
  const found: string[] = [];
  for (const t of tables) {
    const [row] = await sequelize().query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${t}" x WHERE row_to_json(x)::text LIKE :p OR encode(convert_to(row_to_json(x)::text, 'UTF8'), 'hex') LIKE :h`,
      { replacements: { p: `%${needle}%`, h: `%${Buffer.from(needle).toString('hex')}%` }, type: 'SELECT' as never });
    if (row!.n > 0) found.push(t);
  }
  return found;
}
