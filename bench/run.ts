/**
 * `npm run bench [-- --quick] [--only=discovery,accepts] [--events=1000000] [--no-build]`
 *
 * Runs every bench/scenarios/<name>.ts (interface in bench/lib/types.ts) against DATABASE_URL's
 * server, or an embedded PostgreSQL under .data/bench-pg when it is unset, prints one table and
 * writes bench/results.json. Scenarios start the app as production does (NODE_ENV=production, the
 * compiled dist/ entry: rebuilt here when older than the sources, or always with --build) and
 * measure a baseline in the same run.
 * Any `--name=<number>` flag is passed to the scenarios as a size (each names the sizes it reads).
 * Exit status 1 when a scenario fails or an invariant row ("= …" goal) is unmet; speed goals are
 * reported, not fatal.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BenchRow, Scenario } from './lib/types.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const only = args.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const sizes = Object.fromEntries(args.flatMap((a) => {
  const m = /^--([\w-]+)=(\d+)$/.exec(a);
  return m ? [[m[1]!, Number(m[2])]] : [];
}));
const unknown = args.filter((a) => !/^--(quick|build|no-build|only=.+|[\w-]+=\d+)$/.test(a));
if (unknown.length) {
  process.stderr.write(`bench: unknown argument(s) ${unknown.join(' ')}\nusage: npm run bench -- [--quick] [--only=a,b] [--build|--no-build] [--<size>=N]\n`);
  process.exit(2);
}

const started = Date.now();
const stamp = () => `${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s`;

/** Newest modification time under the compiled directories: dist/ is stale when it is older. */
const newest = (dir: string): number => fs.readdirSync(dir, { withFileTypes: true }).reduce((m, e) => {
  const file = path.join(dir, e.name);
  return Math.max(m, e.isDirectory() ? newest(file) : fs.statSync(file).mtimeMs);
}, 0);
const built = fs.existsSync('dist/src/server.js') ? fs.statSync('dist/src/server.js').mtimeMs : 0;
const stale = ['src', 'resources', 'jobs', 'seeders'].some((d) => newest(d) > built);
if (args.includes('--build') || (stale && !args.includes('--no-build'))) {
  process.stderr.write(`[bench ${stamp()}] npm run build (production runs dist/; it was ${built ? 'older than the sources' : 'missing'})\n`);
  const b = spawnSync('npm', ['run', '--silent', 'build'], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

async function server(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => undefined };
  const { startEmbedded } = await import('../src/db/embedded.js');
  const s = await startEmbedded(path.resolve('.data/bench-pg'), { log: (l) => process.stderr.write(`[bench] ${l}\n`) });
  return { url: s.url('postgres'), stop: s.stop };
}

const dir = path.resolve('bench/scenarios');
const names = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort()
  .filter((n) => !only || only.includes(n));
const pg = await server();
const rows: BenchRow[] = [];
const failed: string[] = [];
try {
  for (const name of names) {
    const log = (s: string) => process.stderr.write(`[bench ${stamp()}] ${name}: ${s}\n`);
    log(quick ? 'start (quick)' : 'start');
    try {
      const run = (await import(pathToFileURL(path.join(dir, `${name}.ts`)).href)).default as Scenario;
      const got = await run({ quick, databaseUrl: pg.url, log, sizes });
      rows.push(...got);
      log(`done: ${got.length} row(s)`);
    } catch (err) {
      failed.push(name);
      log(`FAILED: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
  }
} finally {
  await pg.stop();
}

const fmt = (n: number | null) => (n === null ? '—' : n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));
const table = [['scenario', 'figure', 'unit', 'baseline', 'ratio', 'goal', 'met'],
  ...rows.map((r) => [r.scenario, fmt(r.figure), r.unit, fmt(r.baseline), r.ratio === null ? '—' : `${r.ratio.toFixed(2)}×`, r.goal,
    r.met === null ? '—' : r.met ? 'yes' : 'NO'])];
const widths = table[0]!.map((_, i) => Math.max(...table.map((t) => t[i]!.length)));
const line = (t: string[]) => t.map((c, i) => (i === 0 || i === 2 || i === 5 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
process.stdout.write(`\n${line(table[0]!)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${table.slice(1).map(line).join('\n')}\n`);

fs.writeFileSync(path.resolve('bench/results.json'), `${JSON.stringify(rows, null, 2)}\n`);
const broken = rows.filter((r) => r.goal.startsWith('=') && r.met === false);
process.stdout.write(`\n${rows.length} rows → bench/results.json (${quick ? 'quick' : 'full'} run, ${stamp().trim()})`
  + `${failed.length ? `; FAILED scenarios: ${failed.join(', ')}` : ''}${broken.length ? `; BROKEN invariants: ${broken.map((r) => r.scenario).join(', ')}` : ''}\n`);
process.exit(failed.length || broken.length ? 1 : 0);
