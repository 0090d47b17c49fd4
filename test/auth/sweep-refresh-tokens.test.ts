import { describe, expect, it } from 'vitest';
import { systemContext } from '../../src/context.js';
import { clock, DAY } from '../../src/lib/clock.js';
import { AuditLog, RefreshToken } from '../../src/models/index.js';
import { sweepRefreshTokens } from '../../src/modules/auth/commands/index.js';
import { buildRefreshToken } from '../support/more-factories.js';

describe('refresh token sweep', () => {
  it('deletes only tokens expired for more than a day, audits once, and is idempotent', async () => {
    clock.set('2030-01-10T00:00:00Z');
    const old = await buildRefreshToken({ expires_at: new Date('2030-01-08T00:00:00Z') });
    const recent = await buildRefreshToken({ expires_at: new Date('2030-01-09T12:00:00Z') });
    const live = await buildRefreshToken({ expires_at: new Date(clock.now().getTime() + 30 * DAY) });
    expect(await sweepRefreshTokens(systemContext('job'))).toEqual({ deleted: 1 });
    const left = (await RefreshToken.findAll()).map((t) => t.id).sort();
    expect(left).toEqual([recent.id, live.id].sort());
    expect(left).not.toContain(old.id);
    expect(await AuditLog.count({ where: { command: 'auth.sweep_refresh_tokens' } })).toBe(1);
    expect(await sweepRefreshTokens(systemContext('job'))).toEqual({ deleted: 0 });
    expect(await AuditLog.count({ where: { command: 'auth.sweep_refresh_tokens' } })).toBe(1);
  });
});
