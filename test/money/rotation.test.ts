import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { config, loadConfig, setConfig, type Config } from '../../src/config.js';
import { AuditLog, JobRun, PayoutAccount, type AuthUser } from '../../src/models/index.js';
import { keyIdOf, UnknownPayoutKey } from '../../src/modules/money/account-key.js';
import { resealPayoutAccounts, revealAccountNumber, setPayoutAccount } from '../../src/modules/money/commands/account.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { createContext } from '../../src/context.js';
import { testDatabaseUrl } from '../support/db.js';
import { buildUser } from '../support/factories.js';
import { ctxOf, tablesContaining } from './support.js';

/**
 * Payout key rotation: rows sealed under the old key open after PAYOUT_ENCRYPTION_KEY changes (the
 * old one in PAYOUT_ENCRYPTION_KEYS_PREVIOUS), re-sealing moves every row to the new key id, and
 * the old key can then be dropped. The numbers are in clear in no table at any point.
 */
const OLD = crypto.randomBytes(32).toString('hex');
const NEW = crypto.randomBytes(32).toString('hex');
const number = (i: number) => `7700${String(100000 + i)}42`;

let original: Config;
beforeAll(() => {
  original = config();
});
afterAll(() => setConfig(original));
const useKeys = (current: string, previous: string[] = []) =>
  setConfig({ ...original, PAYOUT_ENCRYPTION_KEY: current, PAYOUT_ENCRYPTION_KEYS_PREVIOUS: previous });

async function hostsUnder(key: string, n: number): Promise<AuthUser[]> {
  useKeys(key);
  const hosts: AuthUser[] = [];
  for (let i = 0; i < n; i++) {
    const host = await buildUser();
    await setPayoutAccount(ctxOf(host, 'api'), { account_holder: `Host ${i}`, account_number: number(hosts.length + n * 10), ifsc: 'HDFC0001234' });
    hosts.push(host);
  }
  return hosts;
}

const rowOf = async (host: AuthUser) => (await PayoutAccount.findOne({ where: { user_id: host.id } }))!;
const numbersOf = async (hosts: AuthUser[]) => Promise.all(hosts.map(async (h) => revealAccountNumber(await rowOf(h), h.uuid)));

describe('payout key rotation', () => {
  it('old rows open after rotation, new writes use the new key, re-sealing moves all (in batches, idempotent, audited by count), the old key can go', async () => {
    const hosts = await hostsUnder(OLD, 5);
    const expected = await numbersOf(hosts);
    expect(new Set(await Promise.all(hosts.map(async (h) => (await rowOf(h)).key_id)))).toEqual(new Set([keyIdOf(Buffer.from(OLD, 'hex'))]));

    // Rotated without the old key listed: the row names a key that is not configured.
    useKeys(NEW);
    await expect(rowOf(hosts[0]!).then((r) => revealAccountNumber(r, hosts[0]!.uuid))).rejects.toBeInstanceOf(UnknownPayoutKey);

    // Rotated properly: old rows open with the key they name; a new write is sealed with the current key.
    useKeys(NEW, [OLD]);
    expect(await numbersOf(hosts)).toEqual(expected);
    const [late] = await hostsUnder(NEW, 1);
    useKeys(NEW, [OLD]);
    expect((await rowOf(late!)).key_id).toBe(keyIdOf(Buffer.from(NEW, 'hex')));

    const ctx = createContext({ source: 'job' });
    const first = await resealPayoutAccounts(ctx, { batchSize: 2 });
    expect(first).toEqual({ key_id: keyIdOf(Buffer.from(NEW, 'hex')), resealed: 5, unreadable: 0, remaining: 0 });
    expect(await PayoutAccount.count({ where: { key_id: keyIdOf(Buffer.from(OLD, 'hex')) } })).toBe(0);
    const audits = await AuditLog.findAll({ where: { command: 'money.reseal_payout_accounts' }, order: [['id', 'ASC']] });
    expect(audits.map((a) => (a.payload as { resealed: number }).resealed)).toEqual([2, 2, 1]);
    expect(audits[0]!.payload).toMatchObject({ from_key_ids: [keyIdOf(Buffer.from(OLD, 'hex'))], to_key_id: first.key_id });

    // Idempotent: nothing left to move, nothing written, no audit row.
    expect(await resealPayoutAccounts(ctx, { batchSize: 2 })).toMatchObject({ resealed: 0, remaining: 0 });
    expect(await AuditLog.count({ where: { command: 'money.reseal_payout_accounts' } })).toBe(3);

    // The old key dropped: every row still opens.
    useKeys(NEW);
    expect(await numbersOf(hosts)).toEqual(expected);
    await settleSeal();
    for (const n of [...expected, revealAccountNumber(await rowOf(late!), late!.uuid)]) expect(await tablesContaining(n), n).toEqual([]);
  });

  it('npm run job -- reseal-payout-accounts re-seals through the jobs runner (recorded in job_run)', async () => {
    const third = crypto.randomBytes(32).toString('hex');
    const hosts = await hostsUnder(NEW, 2);
    const expected = await numbersOf(hosts);
    const run = promisify(execFile);
    const { stderr } = await run(process.execPath, ['--import', 'tsx', path.resolve('jobs/run.ts'), 'reseal-payout-accounts'], {
      env: {
        ...process.env, NODE_ENV: 'test', DATABASE_URL: testDatabaseUrl(), LOG_LEVEL: 'warn', SCHEDULER: 'off',
        PAYOUT_ENCRYPTION_KEY: third, PAYOUT_ENCRYPTION_KEYS_PREVIOUS: `${OLD}, ${NEW}`,
      },
      timeout: 120_000,
    });
    expect(stderr).toBe('');
    expect(await PayoutAccount.count({ where: { key_id: keyIdOf(Buffer.from(third, 'hex')) } })).toBe(await PayoutAccount.count());
    const job = (await JobRun.findOne({ where: { name: 'reseal-payout-accounts' }, order: [['id', 'DESC']] }))!;
    expect(job.status).toBe('succeeded');
    expect(job.detail).toMatchObject({ resealed: await PayoutAccount.count(), remaining: 0, unreadable: 0 });
    useKeys(third);
    expect(await numbersOf(hosts)).toEqual(expected);
  });

  it('PAYOUT_ENCRYPTION_KEYS_PREVIOUS: comma-separated 64-hex keys, only beside a current key', () => {
    const base = { NODE_ENV: 'test' };
    expect(loadConfig({ ...base, PAYOUT_ENCRYPTION_KEY: NEW, PAYOUT_ENCRYPTION_KEYS_PREVIOUS: ` ${OLD} ,${'ab'.repeat(32)}` }).PAYOUT_ENCRYPTION_KEYS_PREVIOUS)
      .toEqual([OLD, 'ab'.repeat(32)]);
    expect(loadConfig({ ...base, PAYOUT_ENCRYPTION_KEY: NEW }).PAYOUT_ENCRYPTION_KEYS_PREVIOUS).toEqual([]);
    expect(() => loadConfig({ ...base, PAYOUT_ENCRYPTION_KEY: NEW, PAYOUT_ENCRYPTION_KEYS_PREVIOUS: `${OLD},abc` })).toThrow(/PAYOUT_ENCRYPTION_KEYS_PREVIOUS must be/);
    expect(() => loadConfig({ ...base, PAYOUT_ENCRYPTION_KEYS_PREVIOUS: OLD })).toThrow(/needs PAYOUT_ENCRYPTION_KEY/);
  });
});
