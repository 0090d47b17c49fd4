import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { logger } from '../../src/lib/logger.js';
import { AuditLog, PayoutAccount } from '../../src/models/index.js';
import { keyIdOf, payoutKey } from '../../src/modules/money/account-key.js';
import { revealAccountNumber } from '../../src/modules/money/commands/account.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import supertest from 'supertest';
import { buildApp } from '../../src/app.js';
import { api, bearer } from '../support/app.js';
import { buildUser } from '../support/factories.js';
import { tablesContaining } from './support.js';

const NUMBER = '918273645501';

/** Every line the logger writes while `run` runs (at trace level). */
async function captureLogs(run: () => Promise<void>): Promise<string> {
  const stream = (logger as unknown as Record<symbol, { write(s: string): boolean }>)[pino.symbols.streamSym]!;
  const original = stream.write;
  const level = logger.level;
  const lines: string[] = [];
  stream.write = (s: string) => {
    lines.push(s);
    return true;
  };
  logger.level = 'trace';
  try {
    await run();
  } finally {
    stream.write = original;
    logger.level = level;
  }
  return lines.join('');
}

describe('payout account', () => {
  let level: string;
  beforeEach(() => {
    level = logger.level;
  });
  afterEach(() => {
    logger.level = level;
  });

  it('uses a fresh nonce on every write (same number, different ciphertext)', async () => {
    const host = await buildUser();
    const auth = await bearer(host);
    const body = { account_holder: 'Asha Host', account_number: NUMBER, ifsc: 'HDFC0001234' };
    await (await api()).put('/api/host/payout-account').set('Authorization', auth).send(body);
    const first = (await PayoutAccount.findOne({ where: { user_id: host.id } }))!;
    await (await api()).put('/api/host/payout-account').set('Authorization', auth).send(body);
    const second = (await PayoutAccount.findOne({ where: { user_id: host.id } }))!;
    expect(await PayoutAccount.count({ where: { user_id: host.id } })).toBe(1);
    expect(second.account_number_nonce.equals(first.account_number_nonce)).toBe(false);
    expect(second.account_number_ciphertext.equals(first.account_number_ciphertext)).toBe(false);
    expect(revealAccountNumber(second, host.uuid)).toBe(NUMBER);
  });

  it('needs authentication and a valid body', async () => {
    expect((await (await api()).put('/api/host/payout-account').send({})).status).toBe(401);
    const auth = await bearer(await buildUser());
    const res = await (await api()).put('/api/host/payout-account').set('Authorization', auth).send({ account_holder: 'A', ifsc: 'X' });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['account_holder', 'account_number', 'ifsc']);
    expect((await (await api()).get('/api/host/payout-account').set('Authorization', auth)).status).toBe(404);
  });
  it('PUT stores the number encrypted and answers it masked; it is in no table, log line or audit row', async () => {
    const host = await buildUser();
    const auth = await bearer(host);
    let res!: supertest.Response;
    const logs = await captureLogs(async () => {
      // An app of its own, built inside the capture: pino-http's child logger takes the level at build time.
      const traced = supertest(await buildApp({ admin: false }));
      res = await traced.put('/api/host/payout-account').set('Authorization', auth)
        .send({ account_holder: 'Asha Host', account_number: `${NUMBER.slice(0, 4)} ${NUMBER.slice(4)}`, ifsc: 'hdfc0001234' });
      const bad = await traced.put('/api/host/payout-account').set('Authorization', auth)
        .send({ account_holder: 'Asha Host', account_number: `${NUMBER}x`, ifsc: 'HDFC0001234' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).not.toContain(NUMBER);
    });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ account_holder: 'Asha Host', account_number_last4: '5501', ifsc: 'HDFC0001234' });
    expect(logs.length).toBeGreaterThan(0);
    expect(logs).not.toContain(NUMBER);
    const get = await (await api()).get('/api/host/payout-account').set('Authorization', auth);
    expect(get.body).toEqual(res.body);
    await settleSeal();
    expect(await tablesContaining(NUMBER)).toEqual([]);
    const audits = await AuditLog.findAll({ where: { command: 'money.set_payout_account', actor_user_id: host.id } });
    expect(audits).toHaveLength(1);
    expect(JSON.stringify(audits.map((a) => a.toJSON()))).not.toContain(NUMBER);
    expect(audits[0]!.new_values).toMatchObject({ account_number_last4: '5501' });

    const row = (await PayoutAccount.findOne({ where: { user_id: host.id } }))!;
    expect(row.key_id).toBe(payoutKey().id);
    expect(row.key_id).toBe(keyIdOf(payoutKey().key));
    expect(revealAccountNumber(row, host.uuid)).toBe(NUMBER);
    // Bound to its owner: the same ciphertext does not open as another host's.
    expect(() => revealAccountNumber(row, randomUUID())).toThrow();
  });

});
