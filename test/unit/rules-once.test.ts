import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/db/functions/index.js';
import { ATTENDING_STATUSES, REFUSALS, closedReason, liveHoldSql, openForJoiningSql } from '../../src/db/functions/joining-rules.js';

/** Every .ts file under `dir`. */
const sources = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
  e.isDirectory() ? sources(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);

describe('joining rules are spelled once (src/db/functions/joining-rules.ts)', () => {
  it('no function file or joining source spells a rule by hand', () => {
    const files = [...sources('src/db/functions'), ...sources('src/modules/joining')].filter((f) => !f.endsWith('joining-rules.ts'));
    const copies = [/'LJ\d{3}'/, /'going',\s*'checked_in'/, /consumed AND [\w.]*released_at IS NULL/, /status = 'published' AND/];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      for (const copy of copies) expect(copy.test(text), `${file} spells ${copy} by hand`).toBe(false);
    }
  });

  it('the function texts carry the rules', () => {
    const all = FUNCTIONS.map((f) => f.sql).join('\n');
    expect(all).toContain(`IN (${ATTENDING_STATUSES.map((s) => `'${s}'`).join(', ')})`);
    expect(all).toContain(liveHoldSql('r.', 'p_now'));
    expect(all).toContain(openForJoiningSql('e.', 'p_now'));
    for (const { code, message } of Object.values(REFUSALS)) {
      expect(all).toMatch(new RegExp(`RAISE EXCEPTION '${message}'.* USING ERRCODE = '${code}'`));
    }
  });

  it('an event is open for joining while published, active and not started', () => {
    const now = new Date('2026-12-01T10:00:00Z');
    const later = new Date('2026-12-02T10:00:00Z');
    expect(closedReason({ status: 'published', is_active: true, start_time: later }, now)).toBeNull();
    expect(closedReason({ status: 'draft', is_active: true, start_time: later }, now)).toBe('Event is draft');
    expect(closedReason({ status: 'published', is_active: false, start_time: later }, now)).toBe('Event is inactive');
    expect(closedReason({ status: 'published', is_active: true, start_time: now }, now)).toBe('Event has already started');
  });
});
