import { describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { auditedCommand, chainRows, ctxFor, holdingChainLock, lastAuditId, sealNow } from './support.js';

// The in-process debounced sealer, observed through settleSeal() (no explicit sealAuditChain call here).
describe('debounced in-process sealing', () => {
  it('seals a burst of committed commands shortly after they commit, without blocking them', async () => {
    const user = await buildUser();
    await sealNow();
    const before = await lastAuditId();
    const t0 = performance.now();
    await Promise.all(Array.from({ length: 10 }, (_, i) => auditedCommand(ctxFor(user), i)));
    // The commands returned before any seal could run (the debounce is 250 ms).
    const committed = await chainRows(`id > ${before}`);
    if (performance.now() - t0 < 200) expect(committed.every((r) => r.seal_seq === null)).toBe(true);
    await settleSeal();
    const rows = await chainRows(`id > ${before}`);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.seal_seq !== null)).toBe(true);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, unsealed: 0 });
  });

  it('retries, bounded, while another sealer holds the lock, then seals', async () => {
    const user = await buildUser();
    await sealNow();
    const before = await lastAuditId();
    await holdingChainLock(async () => {
      await auditedCommand(ctxFor(user), 1);
      await new Promise((r) => setTimeout(r, 400)); // the first debounced attempt finds the lock busy
      expect((await chainRows(`id > ${before}`)).map((r) => r.seal_seq)).toEqual([null]);
    });
    await settleSeal(); // a bounded retry seals it once the lock is free
    expect((await chainRows(`id > ${before}`)).every((r) => r.seal_seq !== null)).toBe(true);
  });
});
