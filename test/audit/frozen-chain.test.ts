import { describe, expect, it } from 'vitest';
import * as frozen from '../../src/db/migrations/frozen/audit-chain.js';
import * as live from '../../src/modules/audit/chain.js';

// Migrations 0501/0510 hash with a frozen copy of the chain code: it must give the domain's results.
describe('the migrations\' frozen audit chain', () => {
  it('hashes exactly as src/modules/audit/chain.ts does', () => {
    expect(frozen.GENESIS).toBe(live.GENESIS);
    const pairs: [number | null, number | null][] = [[null, null], [1, null], [null, 7], [3, 3]];
    for (const [actor, user] of pairs) expect(frozen.subjectDigest(actor, user)).toBe(live.subjectDigest(actor, user));
    const content: live.ChainedContent = {
      id: 42, action: 'update', command: 'joining.request.accept', object_type: 'event_request', object_id: 9,
      object_uuid: '00000000-0000-4000-8000-000000000009', payload: { source: 'api', z: [1, { b: 2, a: 1 }] }, metadata: {},
      old_values: { status: 'pending' }, new_values: { status: 'accepted', at: new Date('2026-12-01T10:00:00Z') },
      ip_address: '127.0.0.1', user_agent: 'ua', session_key: null, severity: 'low', is_successful: true, error_message: null,
      created_at: new Date('2026-12-01T10:00:00.123Z'), subject_digest: live.subjectDigest(1, 2),
    };
    expect(frozen.canonicalJson(content)).toBe(live.canonicalJson(content));
    expect(frozen.rowHash(live.GENESIS, content)).toBe(live.rowHash(live.GENESIS, content));
    expect(frozen.rowHash('ab'.repeat(32), { ...content, payload: null })).toBe(live.rowHash('ab'.repeat(32), { ...content, payload: null }));
  });
});
