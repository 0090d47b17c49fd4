import { describe, expect, it } from 'vitest';
import { testDb } from '../support/db.js';
import { toAppError } from '../../src/http/problem.js';

describe('unstorable text', () => {
  it('turns PostgreSQL refusing U+0000 in text or jsonb into a 400, never a 500', async () => {
    for (const sql of ["select '{\"a\":\"\\u0000\"}'::jsonb", "select convert_from('\\x6100'::bytea, 'UTF8')"]) {
      const err = await testDb().query(sql).then(() => null, (e: unknown) => e);
      expect(err, sql).not.toBeNull();
      expect(toAppError(err)?.status, sql).toBe(400);
    }
  });
});
