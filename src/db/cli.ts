import { configOrExit, setConfig } from '../config.js';
import { connect, disconnect } from './connection.js';
import { resolveDatabase } from './database-url.js';
import { createMigrator } from './migrate.js';

/** `npm run migrate -- up|down|status` */
setConfig(configOrExit());
const command = process.argv[2] ?? 'status';
if (!['up', 'down', 'status'].includes(command)) {
  process.stderr.write('usage: npm run migrate -- up|down|status\n');
  process.exit(2);
}
const db = await resolveDatabase((line) => process.stdout.write(`${line}\n`));
const migrator = createMigrator(connect(db.url));
try {
  if (command === 'up') console.log('applied:', (await migrator.up()).map((m) => m.name));
  if (command === 'down') console.log('reverted:', (await migrator.down()).map((m) => m.name));
  if (command === 'status') {
    console.log('executed:', (await migrator.executed()).map((m) => m.name));
    console.log('pending:', (await migrator.pending()).map((m) => m.name));
  }
} finally {
  await disconnect();
  await db.stop();
}
