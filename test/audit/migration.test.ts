import { describe, expect, it } from 'vitest';
import { testDb } from '../support/db.js';
import { systemContext } from '../../src/context.js';
import { createMigrator } from '../../src/db/migrate.js';
import { sealAuditChain } from '../../src/modules/audit/commands/index.js';
import { verifyAuditChain } from '../../src/modules/audit/commands/index.js';
import { chainRows, sql } from './support.js';

// This file's own database is walked down and up again: nothing else runs in it.
describe('migration 0510 (audit chain sealing)', () => {
  it('keeps a chain built by 0501 valid, seals what 0501 left unchained, and rolls back to 0501 and forward again', async () => {
    const migrator = createMigrator(testDb());
    await migrator.down({ to: '0501_audit_append_only_chain' });
    await sql(`INSERT INTO audit_log (action, command) VALUES ('login', 'old.a'), ('update', 'old.b'), ('logout', 'old.c')`);
    await migrator.up({ to: '0502_one_event_reminder' }); // 0501 chains the three in id order
    // A row 0501's writer never chained (raw SQL, no digest): 0501's verifier reported it as "not chained".
    await sql(`INSERT INTO audit_log (action, command, actor_user_id) VALUES ('login', 'old.raw', NULL)`);

    await migrator.up();
    const rows = await chainRows();
    expect(rows.map((r) => r.seal_seq)).toEqual([1, 2, 3, null]);
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 3, head: rows[2]!.row_hash, unsealed: 1 });
    expect(await sealAuditChain(systemContext('system'))).toMatchObject({ ran: true, sealed: 1, done: true });
    const sealed = await chainRows();
    expect(sealed[3]).toMatchObject({ seal_seq: 4, prev_hash: rows[2]!.row_hash });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 4, unsealed: 0 });

    // Down restores 0501's trigger: the sealing UPDATE is refused again.
    await migrator.down({ to: '0510_audit_chain_sealing' });
    await sql(`INSERT INTO audit_log (action, command, subject_digest) VALUES ('login', 'between', 'd')`);
    await expect(sql(`UPDATE audit_log SET prev_hash = 'p', row_hash = 'r' WHERE command = 'between'`)).rejects.toThrow(/append-only/);
    await migrator.up();
    expect((await chainRows()).map((r) => r.seal_seq)).toEqual([1, 2, 3, 4, null]);
    expect(await sealAuditChain(systemContext('system'))).toMatchObject({ sealed: 1 });
    expect(await verifyAuditChain()).toMatchObject({ ok: true, checked: 5, unsealed: 0 });
  });
});
