/**
 * One in-process Loopin app over DATABASE_URL, listening on a free local port (printed as
 * `PORT <n>`). The discovery benchmark runs one per database so it can interleave requests to the
 * 10k and the 1M database: machine load then hits both sides alike.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

process.env.LOG_LEVEL = 'silent';
process.env.SCHEDULER = 'off';

const { connect } = await import('../src/db/connection.js');
const { buildApp } = await import('../src/app.js');
connect(process.env.DATABASE_URL!, { poolMax: 10 });
const server = http.createServer(await buildApp({ admin: false })).listen(0, '127.0.0.1', () => {
  process.stdout.write(`PORT ${(server.address() as AddressInfo).port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
