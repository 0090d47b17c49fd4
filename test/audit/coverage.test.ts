import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Every command of every domain writes AUDIT_LOG. A command is an exported function of a
 * `src/modules/<domain>/commands.ts` or `commands/*.ts` file that opens a transaction
 * (withTransaction) or writes through one atomic SQL function (it then builds that function's audit
 * rows with auditRow(), e.g. joining's acceptRequest) — reads do neither. It must call
 * audit()/auditFailure()/auditRow() itself or through a helper of its domain (followed
 * transitively by name). Exemptions need a reason, here.
 */
const EXEMPT: Record<string, string> = {
  'audit.sealAuditChain': 'writes only chain columns of audit rows; an audit row per seal would need sealing in turn',
  'audit.summarizeAuditLog': 'writes derived statistics only; its own audit row would change the summary it writes',
};

const modules = path.resolve('src/modules');

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []);
}

interface Fn { name: string; exported: boolean; calls: Set<string>; file: string }

/** Function declarations and `const x = (…) => …` of one file, with the names they call. */
function functionsOf(file: string): Fn[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const out: Fn[] = [];
  const callsIn = (node: ts.Node) => {
    const calls = new Set<string>();
    const visit = (n: ts.Node) => {
      if (ts.isCallExpression(n)) {
        const e = n.expression;
        if (ts.isIdentifier(e)) calls.add(e.text);
        else if (ts.isPropertyAccessExpression(e)) calls.add(e.name.text);
      }
      n.forEachChild(visit);
    };
    visit(node);
    return calls;
  };
  const isExported = (n: ts.Node) => !!ts.getCombinedModifierFlags(n as ts.Declaration) && (ts.getCombinedModifierFlags(n as ts.Declaration) & ts.ModifierFlags.Export) !== 0;
  for (const stmt of src.statements) {
    if (ts.isFunctionDeclaration(stmt) && stmt.name) out.push({ name: stmt.name.text, exported: isExported(stmt), calls: callsIn(stmt), file });
    if (ts.isVariableStatement(stmt)) {
      for (const d of stmt.declarationList.declarations) {
        if (ts.isIdentifier(d.name) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
          out.push({ name: d.name.text, exported: isExported(stmt), calls: callsIn(d.initializer), file });
        }
      }
    }
  }
  return out;
}

describe('audit coverage', () => {
  it('every transactional command of every domain writes an audit row', () => {
    const domains = fs.readdirSync(modules, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
    const commands: string[] = [];
    const missing: string[] = [];
    for (const domain of domains) {
      const fns = sourceFiles(path.join(modules, domain)).flatMap(functionsOf);
      const byName = new Map<string, Fn[]>();
      for (const f of fns) byName.set(f.name, [...(byName.get(f.name) ?? []), f]);
      const reaches = (f: Fn, target: string[], seen = new Set<string>()): boolean => {
        if (seen.has(f.name)) return false;
        seen.add(f.name);
        if (target.some((t) => f.calls.has(t))) return true;
        return [...f.calls].some((c) => (byName.get(c) ?? []).some((g) => reaches(g, target, seen)));
      };
      for (const f of fns) {
        const rel = path.relative(modules, f.file);
        if (!f.exported || !/(^|\/)commands(\.ts$|\/)/.test(rel)) continue;
        if (!reaches(f, ['withTransaction', 'auditRow'])) continue;
        const id = `${domain}.${f.name}`;
        commands.push(id);
        if (!EXEMPT[id] && !reaches(f, ['audit', 'auditFailure', 'auditRow'])) missing.push(`${id} (${rel})`);
      }
    }
    expect(commands).toEqual(expect.arrayContaining([
      'notifications.markRead', 'notifications.markAllRead', 'notifications.broadcastNotification', 'joining.acceptRequest',
    ]));
    expect(missing).toEqual([]);
  });
});
