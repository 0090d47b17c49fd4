import { startApp, startBare } from './lib/app.js';
const url = process.argv[2]!;
for (let i = 0; i < 3; i++) {
  const a = await startApp({ databaseUrl: url, env: { SCHEDULER: 'on' } });
  const b = await startBare('discovery', url);
  console.log(`app ${a.readyMs.toFixed(0)} ms wall ${a.readyCpuMs} cpu; bare ${b.readyMs.toFixed(0)} wall ${b.readyCpuMs} cpu`);
  await a.stop(); await b.stop();
}
