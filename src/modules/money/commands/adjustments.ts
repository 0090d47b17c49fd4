import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { ValidationFailed } from '../../../lib/errors.js';
import { CURRENCIES, LedgerEntry } from '../../../models/index.js';
import { findEventByRef } from '../../events/lookup.js';
import { audit } from '../../audit/writer.js';
import { signedToMinor } from '../amounts.js';
import { writeEntry } from '../ledger.js';
import { requireStaff } from '../policy.js';
import { findHost } from './payouts.js';
import crypto from 'node:crypto';

/**
 * A staff correction of a host's balance (+ or −), with a mandatory reason, optionally tied to an
 * event (then it follows that event's hold). Ledger entries are never edited: mistakes are
 * corrected by another entry.
 */
export async function createAdjustment(ctx: Context, input: {
  host: string; currency: string; amount: string; reason: string; event?: string | null;
}): Promise<LedgerEntry> {
  const staff = requireStaff(ctx.actor);
  const reason = input.reason?.trim();
  if (!reason) throw ValidationFailed.field('reason', 'is required');
  if (!(CURRENCIES as readonly string[]).includes(input.currency)) throw ValidationFailed.field('currency', `must be one of ${CURRENCIES.join(', ')}`);
  const minor = signedToMinor(String(input.amount ?? ''), 'amount');
  if (minor === 0) throw ValidationFailed.field('amount', 'must not be zero');
  const host = await findHost(input.host);
  const event = input.event ? await findEventByRef(input.event) : null;
  if (event && event.host_id !== host.id) throw ValidationFailed.field('event', 'is not an event of this host');
  return withTransaction(ctx, async (tx, ctx) => {
    const id = await writeEntry(ctx, {
      hostId: host.id, kind: 'adjustment', amountMinor: minor, currency: input.currency, eventId: event?.id ?? null,
      reason: reason.slice(0, 1000), createdById: staff.id, key: `adjustment:${crypto.randomUUID()}`,
    });
    const entry = (await LedgerEntry.findByPk(id!, { transaction: tx }))!;
    await audit(ctx, {
      action: 'create', command: 'money.adjust_balance', severity: 'high',
      object: { type: 'ledger_entry', id: entry.id, uuid: entry.uuid }, userId: host.id,
      newValues: { kind: 'adjustment', amount: entry.amount, currency: entry.currency, reason },
      payload: { host_uuid: host.uuid, ...(event ? { event_uuid: event.uuid } : {}) },
    });
    return entry;
  });
}
