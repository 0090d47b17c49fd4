import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { NotFound } from '../../../lib/errors.js';
import { PayoutAccount } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { open, seal } from '../account-key.js';
import { requireActor } from '../policy.js';

export interface AccountInput { account_holder: string; account_number: string; ifsc: string }

/** The additional data of the ciphertext: a sealed number moved to another host's row fails to open. */
const aadFor = (userUuid: string) => `payout_account:${userUuid}`;

/**
 * Sets the caller's payout account (one per host; PUT replaces it). The number is sealed with
 * AES-256-GCM under a fresh nonce on every write; only its last four digits are kept readable, and
 * only those reach the audit row, the response and the panel.
 */
export async function setPayoutAccount(ctx: Context, input: AccountInput): Promise<PayoutAccount> {
  const actor = requireActor(ctx.actor);
  const number = input.account_number.replace(/[\s-]/g, '');
  const sealed = seal(number, aadFor(actor.uuid));
  const values = {
    account_holder: input.account_holder.trim(), ifsc: input.ifsc.toUpperCase(),
    account_number_ciphertext: sealed.ciphertext, account_number_nonce: sealed.nonce, account_number_tag: sealed.tag,
    account_number_last4: number.slice(-4), key_id: sealed.keyId,
  };
  return withTransaction(ctx, async (tx, ctx) => {
    const existing = await PayoutAccount.findOne({ where: { user_id: actor.id }, lock: tx.LOCK.UPDATE, transaction: tx });
    const before = existing ? masked(existing) : null;
    const account = existing
      ? await existing.update(values, { transaction: tx })
      : await PayoutAccount.create({ user_id: actor.id, ...values }, { transaction: tx });
    await audit(ctx, {
      action: existing ? 'update' : 'create', command: 'money.set_payout_account', severity: 'high',
      object: { type: 'payout_account', id: account.id, uuid: account.uuid },
      oldValues: before, newValues: { ...masked(account), key_id: account.key_id },
    });
    return account;
  });
}

export async function findPayoutAccount(ctx: Context): Promise<PayoutAccount> {
  const actor = requireActor(ctx.actor);
  const account = await PayoutAccount.findOne({ where: { user_id: actor.id } });
  if (!account) throw new NotFound('Payout account');
  return account;
}

/** The whole number, for the transfer itself (never presented, logged or audited). */
export function revealAccountNumber(account: PayoutAccount, ownerUuid: string): string {
  return open({
    ciphertext: account.account_number_ciphertext, nonce: account.account_number_nonce,
    tag: account.account_number_tag, keyId: account.key_id,
  }, aadFor(ownerUuid));
}

export const masked = (a: PayoutAccount) => ({
  account_holder: a.account_holder, account_number_last4: a.account_number_last4, ifsc: a.ifsc,
});
