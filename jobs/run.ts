import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ON_DEMAND, SCHEDULE } from './schedule.js';

/** `npm run job -- <name>`: runs one scheduled or on-demand job now, in this process. */
const name = process.argv[2];
const known = [...SCHEDULE, ...ON_DEMAND].map((j) => j.name);
if (!name || !known.includes(name)) {
  process.stderr.write(`usage: npm run job -- <name>   (one of: ${known.join(', ')})\n`);
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
// Compiled (dist/jobs/run.js) the jobs are JavaScript; from the sources, TypeScript under tsx.
const ext = import.meta.url.endsWith('.js') ? 'js' : 'ts';
await import(pathToFileURL(path.join(here, `${name}.${ext}`)).href);
