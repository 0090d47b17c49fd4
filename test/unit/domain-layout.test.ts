import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * One layout per domain (issue 11): `commands/index.ts` or `commands.ts`, routes likewise, a pure
 * presenter (type-only model imports, no database), and a policy written with src/lib/policy.ts.
 */
const DOMAINS = ['auth', 'venues', 'events', 'notifications'];
const root = path.resolve('src/modules');
const read = (domain: string, file: string) => fs.readFileSync(path.join(root, domain, file), 'utf8');
const oneOf = (domain: string, a: string, b: string) => [a, b].filter((f) => fs.existsSync(path.join(root, domain, f)));

describe.each(DOMAINS)('the %s domain', (domain) => {
  it('has its commands and its routes each behind one door', () => {
    expect(oneOf(domain, 'commands/index.ts', 'commands.ts')).toHaveLength(1);
    expect(oneOf(domain, 'routes/index.ts', 'routes.ts')).toHaveLength(1);
  });

  it('presents without querying: the presenter imports models as types only and no database', () => {
    const source = read(domain, 'presenter.ts');
    const imports = [...source.matchAll(/^import (type )?[^;]*? from '([^']+)';/gm)];
    for (const [, typeOnly, from] of imports) {
      expect(from, `${domain}/presenter.ts imports ${from}`).not.toMatch(/db\/|sequelize/);
      if (from!.includes('models/')) expect(typeOnly, `${domain}/presenter.ts imports ${from} for values`).toBe('type ');
    }
    expect(source).not.toMatch(/\.(findAll|findOne|findByPk|count|query)\(/);
  });

  it('writes its policy as allow() rules', () => {
    expect(read(domain, 'policy.ts')).toMatch(/from '\.\.\/\.\.\/lib\/policy\.js'/);
    expect(read(domain, 'policy.ts')).toMatch(/\.allow\('/);
  });
});
