import { Op } from 'sequelize';
import type { Context } from '../../../context.js';
import { withTransaction } from '../../../db/transaction.js';
import { NotFound } from '../../../lib/errors.js';
import { logger } from '../../../lib/logger.js';
import { AuthUser, PayoutAccount } from '../../../models/index.js';
import { audit } from '../../audit/writer.js';
import { open, payoutKeyring, seal, UnknownPayoutKey, type Sealed } from '../account-key.js';
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
    ...sealedColumns(sealed), account_number_last4: number.slice(-4),
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

/** A row's sealed number, and the columns a sealed number is stored in (both ways in one place). */
const sealedOf = (a: PayoutAccount): Sealed => ({
  ciphertext: a.account_number_ciphertext, nonce: a.account_number_nonce, tag: a.account_number_tag, keyId: a.key_id,
});
function sealedColumns(s: Sealed) {
  return { account_number_ciphertext: s.ciphertext, account_number_nonce: s.nonce, account_number_tag: s.tag, key_id: s.keyId };
}

/** The whole number, for the transfer itself (never presented, logged or audited). */
export function revealAccountNumber(account: PayoutAccount, ownerUuid: string): string {
  return open(sealedOf(account), aadFor(ownerUuid));
}

export interface ResealResult {
  /** The key every row is now sealed with. */
  key_id: string;
  resealed: number;
  /** Rows naming a key that is not configured (current or previous): left as they are. */
  unreadable: number;
  /** Rows still not under the current key (0 once every old key's rows moved). */
  remaining: number;
}

/**
 * Key rotation: re-seals every payout account not under the current key, in batches of
 * `batchSize`, each batch one transaction with its rows locked and one audit row (counts and key
 * ids only, never a number). Rows already under the current key are not touched, so a second run,
 * or a run beside a host's PUT (which seals with the current key), changes nothing more.
 */
export async function resealPayoutAccounts(ctx: Context, { batchSize = 200 } = {}): Promise<ResealResult> {
  const ring = payoutKeyring();
  const current = ring.current.id;
  let afterId = 0;
  let resealed = 0;
  let unreadable = 0;
  for (;;) {
    const batch = await withTransaction(ctx, async (tx, ctx) => {
      // The key_id test is re-checked on the locked row: a host's PUT meanwhile already moved it.
      const rows = await PayoutAccount.findAll({
        where: { id: { [Op.gt]: afterId }, key_id: { [Op.ne]: current } },
        include: [{ model: AuthUser, as: 'user', attributes: ['uuid'] }],
        order: [['id', 'ASC']], limit: batchSize, lock: { level: tx.LOCK.UPDATE, of: PayoutAccount }, transaction: tx,
      });
      const fromKeys = new Set<string>();
      let done = 0;
      let skipped = 0;
      for (const row of rows) {
        const aad = aadFor(row.user!.uuid);
        let plain: string;
        try {
          plain = open(sealedOf(row), aad, ring);
        } catch (err) {
          if (!(err instanceof UnknownPayoutKey)) throw err;
          skipped++;
          continue;
        }
        fromKeys.add(row.key_id);
        const sealed = seal(plain, aad, ring.current);
        await row.update(sealedColumns(sealed), { transaction: tx });
        done++;
      }
      if (done || skipped) {
        await audit(ctx, {
          action: 'update', command: 'money.reseal_payout_accounts', severity: 'high', object: { type: 'payout_account' },
          payload: { resealed: done, unreadable: skipped, from_key_ids: [...fromKeys], to_key_id: current },
        });
      }
      return { rows: rows.length, lastId: rows.at(-1)?.id ?? afterId, done, skipped };
    });
    resealed += batch.done;
    unreadable += batch.skipped;
    afterId = batch.lastId;
    if (batch.rows < batchSize) break;
  }
  const remaining = await PayoutAccount.count({ where: { key_id: { [Op.ne]: current } } });
  if (unreadable) logger.warn({ unreadable, key_id: current }, 'payout accounts under a key that is not configured were left as they are');
  return { key_id: current, resealed, unreadable, remaining };
}

export const masked = (a: PayoutAccount) => ({
  account_holder: a.account_holder, account_number_last4: a.account_number_last4, ifsc: a.ifsc,
});
