import { afterAll, describe, expect, it } from 'vitest';
import { seedReference } from '../../seeders/reference.js';
import { buildEvent } from '../support/factories.js';
import { testDatabaseUrl } from '../support/setup.js';
import { openStream } from '../support/sse.js';
import { startInstance, type Instance } from '../security/instances.js';
import { eventually, listenerConnections } from './helpers.js';

/** The real server process (src/server.ts): SIGTERM with streams open ends them and exits promptly, not at the 15 s force-exit. */
describe('SIGTERM with open availability streams', { timeout: 120_000 }, () => {
  let server: Instance | undefined;
  afterAll(() => server?.stop('SIGKILL'));

  it('ends the streams, releases the LISTEN connection and exits 0 within a few seconds', async () => {
    await seedReference();
    server = await startInstance(testDatabaseUrl(), { AVAILABILITY_HEARTBEAT_MS: '500' });
    const event = await buildEvent();
    const clients = await Promise.all([1, 2, 3].map((i) => openStream(`${server!.base}/api/events/${event.uuid}/availability/stream`, { 'x-forwarded-for': `10.3.0.${i}` })));
    for (const c of clients) expect((await c.next(10_000)).event).toBe('availability');
    await eventually(async () => (await listenerConnections()) === 1, 10_000, 'the server listening');
    const exited = new Promise<number | null>((resolve) => server!.child.once('exit', (code) => resolve(code)));
    const started = Date.now();
    server.child.kill('SIGTERM');
    await Promise.all(clients.map((c) => c.ended));
    expect(await exited).toBe(0);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await listenerConnections()).toBe(0);
  });
});
