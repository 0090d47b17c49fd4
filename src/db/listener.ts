import type pg from 'pg';
import { dedicatedClient } from './connection.js';

export interface ListenerOptions {
  /** The NOTIFY channel (a plain lower-case identifier). */
  channel: string;
  /** application_name of the connection, so it can be told apart in pg_stat_activity. */
  applicationName: string;
  onNotify: (payload: string) => void;
  /** Each time LISTEN is in place; `reconnected` when it follows a dropped connection (notifications may have been missed). */
  onListening: (reconnected: boolean) => void;
  onDrop?: (err: Error, attempt: number) => void;
  /** Reconnect delays: doubling from minMs up to maxMs, with jitter. */
  backoff?: { minMs: number; maxMs: number };
  /** A `SELECT 1` this often on the connection: a silently dead link is noticed in seconds, not at TCP keepalive's pace. */
  pingMs?: number;
}

const PING_TIMEOUT_MS = 5_000;

/**
 * One dedicated connection that LISTENs on one channel, kept up while wanted: dropped (server
 * restart, pg_terminate_backend, network) → reconnect with backoff, then `onListening(true)` so the
 * owner can catch up on what it missed. Outside the pool: a pooled connection cannot stay in LISTEN.
 */
export class PgListener {
  private client: pg.Client | null = null;
  private wanted = false;
  private listeningOnce = false;
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  private ping: NodeJS.Timeout | null = null;
  /** The backend pid of the live connection (tests terminate it to prove the reconnect). */
  backendPid: number | null = null;
  listening = false;

  constructor(private readonly options: ListenerOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.channel)) throw new Error(`bad channel name ${options.channel}`);
  }

  start(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.listeningOnce = false;
    this.connect();
  }

  async stop(): Promise<void> {
    this.wanted = false;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const client = this.client;
    this.detach();
    if (client) await endQuietly(client);
  }

  private connect(): void {
    if (!this.wanted || this.client) return;
    let client: pg.Client;
    try {
      client = dedicatedClient(this.options.applicationName);
    } catch (err) {
      this.scheduleRetry(err as Error);
      return;
    }
    this.client = client;
    client.on('notification', (msg) => {
      if (this.client === client && msg.channel === this.options.channel && msg.payload !== undefined) this.options.onNotify(msg.payload);
    });
    // pg emits 'error' on a broken connection; without a handler it would crash the process.
    client.on('error', (err) => this.dropped(client, err));
    client.on('end', () => this.dropped(client, new Error('listener connection ended')));
    client.connect()
      .then(() => client.query(`LISTEN ${this.options.channel}`))
      .then(() => client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'))
      .then((result) => {
        if (this.client !== client) return;
        this.backendPid = result.rows[0]?.pid ?? null;
        this.listening = true;
        this.attempt = 0;
        const reconnected = this.listeningOnce;
        this.listeningOnce = true;
        this.startPing(client);
        this.options.onListening(reconnected);
      })
      .catch((err: Error) => this.dropped(client, err));
  }

  private dropped(client: pg.Client, err: Error): void {
    if (this.client !== client) return;
    this.detach();
    void endQuietly(client);
    this.scheduleRetry(err);
  }

  private scheduleRetry(err: Error): void {
    if (!this.wanted) return;
    this.attempt++;
    this.options.onDrop?.(err, this.attempt);
    if (!this.wanted) return; // the owner stopped it from onDrop
    const { minMs, maxMs } = this.options.backoff ?? { minMs: 100, maxMs: 10_000 };
    const delay = Math.min(maxMs, minMs * 2 ** Math.min(this.attempt - 1, 20)) * (0.5 + Math.random() / 2);
    this.retry = setTimeout(() => {
      this.retry = null;
      this.connect();
    }, delay);
    this.retry.unref();
  }

  private startPing(client: pg.Client): void {
    const every = this.options.pingMs;
    if (!every) return;
    this.ping = setInterval(() => {
      const timeout = setTimeout(() => this.dropped(client, new Error('listener ping timed out')), PING_TIMEOUT_MS);
      timeout.unref();
      client.query('SELECT 1').then(() => clearTimeout(timeout), (err: Error) => {
        clearTimeout(timeout);
        this.dropped(client, err);
      });
    }, every);
    this.ping.unref();
  }

  private detach(): void {
    if (this.ping) clearInterval(this.ping);
    this.ping = null;
    this.client = null;
    this.listening = false;
    this.backendPid = null;
  }
}

/** end() a client whose socket may already be gone, without waiting on a dead link for long. */
async function endQuietly(client: pg.Client): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    client.end().catch(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, 1_000);
      timer.unref();
    }),
  ]);
  clearTimeout(timer);
}
