import type http from 'node:http';
import type { Express } from 'express';
import { QueryTypes } from 'sequelize';
import { buildApp, closeApp, type AppOptions } from '../../src/app.js';
import { sequelize } from '../../src/db/connection.js';
import { createHttpServer } from '../../src/http/listen.js';
import { availabilityHub, type AvailabilityHub } from '../../src/modules/availability/hub.js';
import { bearer } from '../support/app.js';

/**
 * An app instance as a server process holds it: its own app from the factory (so its own hub and
 * LISTEN connection), behind the production HTTP server (src/http/listen.ts), on this file's database.
 */
export interface TestInstance {
  app: Express;
  server: http.Server;
  base: string;
  hub: AvailabilityHub;
  /** The shutdown path of src/server.ts: stop accepting, end streams and LISTEN, wait for connections. */
  stop(): Promise<void>;
}

export async function startInstance(availability: AppOptions['availability'] = {}): Promise<TestInstance> {
  const app = await buildApp({ admin: false, availability: { heartbeatMs: 200, ...availability } });
  const server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  let stopped: Promise<void> | undefined;
  return {
    app, server, base: `http://127.0.0.1:${port}`, hub: availabilityHub(app),
    stop() {
      stopped ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        await closeApp(app);
        server.closeIdleConnections();
        await closed;
      })();
      return stopped;
    },
  };
}

/** LISTEN connections of availability hubs on this file's database. */
export async function listenerConnections(): Promise<number> {
  const [row] = await sequelize().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'loopin-availability'`,
    { type: QueryTypes.SELECT },
  );
  return row!.n;
}

/** Polls `check` until it holds (or fails after `timeoutMs`). */
export async function eventually(check: () => Promise<boolean> | boolean, timeoutMs = 5_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The host accepts a request through an instance's API (a change every instance must hear of). */
export async function acceptThrough(i: TestInstance, event: { uuid: string; host: { uuid: string } }, request: { uuid: string }): Promise<void> {
  const res = await fetch(`${i.base}/api/events/${event.uuid}/requests/${request.uuid}/accept`, {
    method: 'POST', headers: { authorization: await bearer(event.host), 'content-type': 'application/json' }, body: '{}',
  });
  if (res.status !== 200) throw new Error(`accept answered ${res.status}: ${await res.text()}`);
}
