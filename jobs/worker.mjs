// Bree runs each job in a worker thread; this bootstrap loads the job named in workerData. Compiled
// (dist/jobs/, production) it imports the job's JavaScript; from the sources (development) it first
// registers tsx in this thread (module hooks from the parent's --import do not reach worker threads
// on Node 20). tsx is imported only then: production never loads it.
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { workerData } from 'node:worker_threads';

const here = path.dirname(new URL(import.meta.url).pathname);
const compiled = path.join(here, `${workerData.job}.js`);
if (fs.existsSync(compiled)) {
  await import(pathToFileURL(compiled).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(path.join(here, `${workerData.job}.ts`)).href);
}
