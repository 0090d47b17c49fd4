// Bree runs each job in a worker thread; this bootstrap registers tsx in that thread, then loads
// the TypeScript job file named in workerData (module hooks from the parent's --import do not
// reach worker threads on Node 20).
import { workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { register } from 'tsx/esm/api';

register();
const here = path.dirname(new URL(import.meta.url).pathname);
await import(pathToFileURL(path.join(here, `${workerData.job}.ts`)).href);
