import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

describe('configuration', () => {
  it('applies the documented defaults', () => {
    const cfg = loadConfig({});
    expect(cfg.PORT).toBe(3000);
    expect(cfg.SMS_PROVIDER).toBe('console');
    expect(cfg.SCHEDULER).toBe(true);
    expect(cfg.DATABASE_URL).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, /PORT/],
    [{ PORT: '70000' }, /PORT/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL/],
    [{ SMS_PROVIDER: 'pigeon' }, /SMS_PROVIDER/],
    [{ SMS_PROVIDER: 'webhook' }, /SMS_WEBHOOK_URL/],
    [{ SCHEDULER: 'maybe' }, /SCHEDULER/],
    [{ JWT_SECRET: 'short' }, /JWT_SECRET/],
    [{ NODE_ENV: 'production', DATABASE_URL: 'postgres://x/y' }, /JWT_SECRET/],
    [{ SMTP_URL: 'http://mail' }, /SMTP_URL/],
  ])('rejects %o naming the variable', (env, pattern) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(pattern);
  });

  it('stops the server process with one clear line and a non-zero exit code', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
      env: { PATH: process.env.PATH, PORT: 'not-a-port' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).not.toBe(0);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PORT/);
  });
});
