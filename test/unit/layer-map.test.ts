import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/*
 * The layer map lives in eslint.config.js (import-x/no-restricted-paths). A forbidden import planted
 * in each layer must fail lint, and the same file with an allowed import must pass.
 */
const eslint = new ESLint({ cwd: process.cwd() });

async function lint(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const planted: [file: string, forbidden: string, allowed: string][] = [
  ['src/models/Planted.ts', '../modules/joining/rules.js', '../lib/money.js'],
  ['src/models/Planted.ts', '../admin/admin.js', './Event.js'],
  ['src/lib/planted.ts', '../db/connection.js', './money.js'],
  ['src/lib/planted.ts', '../models/index.js', './errors.js'],
  ['src/lib/planted.ts', '../modules/audit/chain.js', './crypto.js'],
  ['src/modules/joining/planted.ts', '../../admin/admin.js', '../../db/connection.js'],
  ['src/modules/joining/planted.ts', '../../jobs/runtime.js', '../../lib/advisory-lock.js'],
  ['src/db/migrations/9999_planted.ts', '../../modules/audit/chain.js', './frozen/audit-chain.js'],
  ['src/db/functions/planted.ts', '../../modules/joining/rules.js', './joining-rules.js'],
];

describe('the layer map is kept by the linter', () => {
  it.each(planted)('%s may not import %s (but may import %s)', async (file, forbidden, allowed) => {
    const code = (spec: string) => `import * as planted from '${spec}';\nexport const keep = planted;\n`;
    expect(await lint(file, code(forbidden))).toEqual([expect.stringMatching(/^import-x\/no-restricted-paths: Unexpected path/)]);
    expect(await lint(file, code(allowed))).toEqual([]);
  });

  it('an import the resolver cannot follow fails too, so nothing slips past the map', async () => {
    expect(await lint('src/lib/planted.ts', `import { x } from './no-such-file.js';\nexport const y = x;\n`))
      .toEqual([expect.stringMatching(/^import-x\/no-unresolved/)]);
  });
});
