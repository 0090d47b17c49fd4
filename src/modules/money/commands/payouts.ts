import { Op, UniqueConstraintError } from 'sequelize';
import type { Context } from '../../../context.js';
import { sequelize } from '../../../db/connection.js';
import { withTransaction } from '../../../db/transaction.js';
import { BusinessRule, Conflict, NotFound, ValidationFailed } from '../../../lib/errors.js';
import { fromMinor } from '../../../lib/money.js';
import { isUuid } from '../../../lib/uuid.js';
import { AuthUser, CURRENCIES, LedgerEntry, OPEN_PAYOUT_STATUSES, Payout, PayoutAccount, type PayoutStatus } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { signedToMinor } from '../amounts.js';
import { availableByEvent } from '../balance.js';
import { writeEntry } from '../ledger.js';
import { requireStaff } from '../policy.js';

/**
 * Payouts: staff create one for a host (everything available in one currency), approve it, mark it
 * processing when the transfer is sent, then completed or failed. Creating books the payout entries
 * (one per event the money came from, so settlement reports can say what of each event was paid);
 * failing books their reversals. Transitions are single conditional UPDATEs: a completed payout can
 * never be completed, failed or paid again, whatever runs concurrently.
 */
const LOCK_NAMESPACE = 8001;

export async function createPayout(ctx: Context, input: { host: string; currency: string }): Promise<Payout> {
  const staff = requireStaff(ctx.actor);
  if (!(CURRENCIES as readonly string[]).includes(input.currency)) throw ValidationFailed.field('currency', `must be one of ${CURRENCIES.join(', ')}`);
  const host = await findHost(input.host);
  return withTransaction(ctx, async (tx, ctx) => {
    // One payout computation per host at a time; the partial unique index is the backstop.
    await sequelize().query('SELECT pg_advisory_xact_lock(:ns, :key)', {
      replacements: { ns: LOCK_NAMESPACE, key: host.id % 2_147_483_647 }, transaction: tx,
    });
    const open = await Payout.findOne({
      where: { host_id: host.id, currency: input.currency, status: { [Op.in]: [...OPEN_PAYOUT_STATUSES] } }, transaction: tx,
    });
    if (open) throw new Conflict(`This host already has an open ${input.currency} payout (${open.status})`);
    const account = await PayoutAccount.findOne({ where: { user_id: host.id }, attributes: ['id'], transaction: tx });
    if (!account) throw new BusinessRule('This host has no payout account on file');
    const parts = await availableByEvent(host.id, input.currency, ctx.now(), tx);
    const total = parts.reduce((sum, p) => sum + p.amountMinor, 0);
    if (total <= 0) throw new BusinessRule(`Nothing is available to pay out in ${input.currency}`);

    let payout: Payout;
    try {
      payout = await Payout.create({
        host_id: host.id, amount: fromMinor(total), currency: input.currency, status: 'pending', created_by_id: staff.id,
      }, { transaction: tx });
    } catch (err) {
      if (err instanceof UniqueConstraintError) throw new Conflict(`This host already has an open ${input.currency} payout`);
      throw err;
    }
    for (const part of parts) {
      await writeEntry(ctx, {
        hostId: host.id, kind: 'payout', amountMinor: -part.amountMinor, currency: input.currency, eventId: part.eventId,
        payoutId: payout.id, createdById: staff.id, key: `payout:${payout.id}:event:${part.eventId ?? 'none'}`,
      });
    }
    await audit(ctx, {
      action: 'create', command: 'money.create_payout', severity: 'high',
      object: { type: 'payout', id: payout.id, uuid: payout.uuid }, userId: host.id,
      newValues: { amount: payout.amount, currency: payout.currency, status: 'pending' },
      payload: { host_uuid: host.uuid, events: parts.length },
    });
    return payout;
  });
}

export const approvePayout = (ctx: Context, ref: string) =>
  transition(ctx, ref, { from: ['pending'], to: 'approved', command: 'money.approve_payout' });

export const markPayoutProcessing = (ctx: Context, ref: string, input: { reference?: string | null } = {}) =>
  transition(ctx, ref, { from: ['approved'], to: 'processing', command: 'money.mark_payout_processing', reference: input.reference });

export const completePayout = (ctx: Context, ref: string, input: { reference?: string | null } = {}) =>
  transition(ctx, ref, { from: ['processing'], to: 'completed', command: 'money.complete_payout', reference: input.reference });

/** Any open payout may fail (bank refused, wrong account, staff rejected it); its entries are reversed. */
export async function failPayout(ctx: Context, ref: string, input: { reason: string }): Promise<Payout> {
  const reason = input.reason?.trim();
  if (!reason) throw ValidationFailed.field('reason', 'is required');
  return transition(ctx, ref, { from: [...OPEN_PAYOUT_STATUSES], to: 'failed', command: 'money.fail_payout', reason });
}

interface Transition {
  from: PayoutStatus[];
  to: PayoutStatus;
  command: string;
  reference?: string | null;
  reason?: string;
}

async function transition(ctx: Context, ref: string, t: Transition): Promise<Payout> {
  const staff = requireStaff(ctx.actor);
  return withTransaction(ctx, async (tx, ctx) => {
    const current = await findPayout(ref, tx);
    const now = ctx.now();
    const changes: Partial<Payout> = { status: t.to, updated_at: now };
    if (t.to === 'approved') Object.assign(changes, { approved_by_id: staff.id, approved_at: now });
    if (t.to === 'processing') Object.assign(changes, { processing_at: now });
    if (t.to === 'completed') Object.assign(changes, { completed_by_id: staff.id, completed_at: now });
    if (t.to === 'failed') Object.assign(changes, { failed_at: now, failure_reason: t.reason });
    if (t.reference?.trim()) changes.reference = t.reference.trim().slice(0, 255);
    // The status condition makes the transition happen once: a second completion finds 0 rows.
    const [count] = await Payout.update(changes, { where: { id: current.id, status: { [Op.in]: t.from } }, transaction: tx });
    if (count !== 1) throw new Conflict(`This payout is ${current.status}; it cannot become ${t.to}`);
    if (t.to === 'failed') await reverseEntries(ctx, current);
    await audit(ctx, {
      action: 'update', command: t.command, severity: 'high',
      object: { type: 'payout', id: current.id, uuid: current.uuid }, userId: current.host_id,
      oldValues: { status: current.status },
      newValues: { status: t.to, ...(t.reason ? { failure_reason: t.reason } : {}), ...(changes.reference ? { reference: changes.reference } : {}) },
      payload: { amount: current.amount, currency: current.currency },
    });
    return (await Payout.findByPk(current.id, { transaction: tx }))!;
  });
}

async function reverseEntries(ctx: Context, payout: Payout): Promise<void> {
  const entries = await LedgerEntry.findAll({
    where: { payout_id: payout.id, reverses_id: null }, order: [['id', 'ASC']], transaction: ctx.transaction,
  });
  for (const e of entries) {
    const minor = signedToMinor(e.amount);
    await writeEntry(ctx, {
      hostId: e.host_id, kind: 'payout', amountMinor: -minor, currency: e.currency, eventId: e.event_id, payoutId: payout.id,
      reversesId: e.id, createdById: ctx.actor?.id ?? null, key: `payout:${payout.id}:reversal:${e.id}`,
      reason: 'payout failed',
    });
  }
}

export async function findPayout(ref: string, tx?: import('sequelize').Transaction): Promise<Payout> {
  const where = isUuid(ref) ? { uuid: ref.toLowerCase() } : /^\d+$/.test(ref) ? { id: Number(ref) } : null;
  const payout = where ? await Payout.findOne({ where, transaction: tx }) : null;
  if (!payout) throw new NotFound('Payout');
  return payout;
}

/** A host by uuid (API, tests) or numeric id (panel). */
export async function findHost(ref: string | number): Promise<AuthUser> {
  const text = String(ref).trim();
  const where = isUuid(text) ? { uuid: text.toLowerCase() } : /^\d+$/.test(text) ? { id: Number(text) } : null;
  const host = where ? await AuthUser.findOne({ where, attributes: ['id', 'uuid'] }) : null;
  if (!host) throw new NotFound('Host');
  return host;
}
