import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/setup.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 3, minForks: 1 } },
    testTimeout: 30_000,
    hookTimeout: 120_000,
    env: {
      NODE_ENV: 'test',
      JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
      SESSION_SECRET: 'test-session-secret-test-session-secret-012345',
      SCHEDULER: 'off',
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent',
      ADMIN_EMAIL: 'admin@loopin.test',
      ADMIN_PASSWORD: 'correct-horse-battery',
      SMS_PROVIDER: 'console',
      DATA_DIR: '.data/test-run',
    },
  },
});
