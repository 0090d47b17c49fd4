// `npm run build`: the production build. tsc compiles src/, resources/, jobs/ and seeders/ to dist/
// (typechecking them on the way), the files tsc does not emit are copied beside their JavaScript,
// and the AdminJS components are bundled once into .adminjs/bundle.js. Production then runs
// `node dist/src/server.js`: no TypeScript transpiler at run time.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const run = (args) => {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

fs.rmSync('dist', { recursive: true, force: true });
run(['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json']);

// Plain JavaScript and data files (the Bree worker bootstrap, SQL, JSON) are not emitted by tsc.
const copied = [];
const walk = (dir) => {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(file);
    else if (!/\.(ts|tsx)$/.test(entry.name)) {
      fs.mkdirSync(path.join('dist', dir), { recursive: true });
      fs.copyFileSync(file, path.join('dist', file));
      copied.push(file);
    }
  }
};
for (const dir of ['src', 'resources', 'jobs', 'seeders']) walk(dir);

// AdminJS bundles the .tsx component sources with its own babel/rollup: build time only.
run(['--import', 'tsx', 'src/admin/build.ts']);
process.stdout.write(`dist/ built (tsc${copied.length ? `; copied ${copied.join(', ')}` : ''})\n`);
