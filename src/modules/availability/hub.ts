import type { Express, Request, Response } from 'express';
import { AVAILABILITY_CHANNEL } from '../../db/functions/availability-channel.js';
import { PgListener } from '../../db/listener.js';
import { clock } from '../../lib/clock.js';
import { RateLimited, ServiceUnavailable } from '../../lib/errors.js';
import { logger } from '../../lib/logger.js';
import { figuresOf } from './commands/index.js';
import { admitIfHoldsExpired } from '../joining/commands/index.js';
import { systemContext } from '../../context.js';
import { presentAvailability } from './presenter.js';

export interface HubOptions {
  /** Streams this instance holds at most. */
  perInstance: number;
  /** Streams one client (see `clientKey`) holds at most, over all events. */
  perClient: number;
  heartbeatMs: number;
  /** Changes to one event within this window fold into one recompute. */
  coalesceMs: number;
  /** With no stream left, the LISTEN connection is released after this long. */
  idleMs?: number;
}

/** The answer to a client that will not read: past this much unsent, its stream is cut. */
const MAX_BUFFERED_BYTES = 256 * 1024;
const RETRY_AFTER_SECONDS = 5;
const FAILED_RECOMPUTE_RETRY_MS = 1_000;

interface Subscriber {
  eventId: number;
  client: string;
  res: Response;
  /** Has this stream had its first `availability` event? */
  started: boolean;
}

interface Watched {
  subscribers: Set<Subscriber>;
  /** The JSON last sent for this event: a recompute that finds the same figures sends nothing. */
  last: string | null;
  /** Wakes a recompute when the earliest live hold lapses (no write happens then). */
  expiry: NodeJS.Timeout | null;
  /** is_public/is_active as last computed: visibility is checked when a stream opens, so a change ends them. */
  audience: string | null;
}

/** The client a stream counts against: the user when authenticated (many users may share an IP), else the IP. */
export const clientKey = (req: Request): string => (req.actor ? `user:${req.actor.id}` : `ip:${req.ip ?? 'unknown'}`);

const frame = (json: string) => `event: availability\ndata: ${json}\n\n`;

/**
 * The availability streams of one app instance: ONE LISTEN connection for all of them, NOTIFYs
 * from any instance fanned out to this instance's subscribers of that event. Changes are folded
 * (at most one recompute per `coalesceMs`, one statement for every dirty event, once per event
 * however many subscribe). After a dropped connection everything is recomputed and re-sent.
 * Why: docs/decisions/1010-availability-stream.md.
 */
export class AvailabilityHub {
  private readonly events = new Map<number, Watched>();
  private readonly perClient = new Map<string, number>();
  private streams = 0;
  private readonly dirty = new Set<number>();
  private forceNext = false;
  private flushTimer: NodeJS.Timeout | null = null;
  private flushAt = 0;
  private flushing: Promise<void> | null = null;
  private lastFlushAt = 0;
  private heartbeat: NodeJS.Timeout | null = null;
  private idle: NodeJS.Timeout | null = null;
  private closed = false;
  readonly listener: PgListener;
  /** Recompute statements run so far (a burst of changes costs a few, not one per change or per subscriber). */
  recomputes = 0;

  constructor(private readonly options: HubOptions) {
    this.listener = new PgListener({
      channel: AVAILABILITY_CHANNEL,
      applicationName: 'loopin-availability',
      onNotify: (payload) => this.changed(payload),
      onListening: (reconnected) => this.caughtUp(reconnected),
      onDrop: (err, attempt) => {
        // Nobody is watching: no need to get the connection back until someone subscribes again.
        if (this.streams === 0) void this.listener.stop();
        else logger.warn({ err: err.message, attempt }, 'availability listener dropped; reconnecting');
      },
      pingMs: Math.min(Math.max(options.heartbeatMs, 1_000), 30_000),
    });
  }

  get openStreams(): number {
    return this.streams;
  }

  /**
   * Turns `res` into a stream of the event's availability, or throws 429 (limits) / 503 (shutting
   * down) before anything is sent. The first event follows at once; the stream ends when the client
   * goes, the event is deleted, or the hub closes.
   */
  subscribe(res: Response, eventId: number, client: string): void {
    if (this.closed) throw new ServiceUnavailable('The server is shutting down');
    if (this.streams >= this.options.perInstance) {
      throw new RateLimited(RETRY_AFTER_SECONDS, `This server holds its maximum of ${this.options.perInstance} availability streams`);
    }
    const mine = this.perClient.get(client) ?? 0;
    if (mine >= this.options.perClient) {
      throw new RateLimited(RETRY_AFTER_SECONDS, `At most ${this.options.perClient} availability streams per client`);
    }
    this.streams++;
    this.perClient.set(client, mine + 1);

    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      'X-Accel-Buffering': 'no',
    });
    // The socket closes with the stream: a shutdown's server.close() then has nothing left to wait for.
    res.shouldKeepAlive = false;
    res.flushHeaders();
    res.socket?.setNoDelay(true);

    const sub: Subscriber = { eventId, client, res, started: false };
    let watched = this.events.get(eventId);
    if (!watched) this.events.set(eventId, (watched = { subscribers: new Set(), last: null, expiry: null, audience: null }));
    watched.subscribers.add(sub);
    res.on('close', () => this.drop(sub));

    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.listener.start();
    if (!this.heartbeat) {
      this.heartbeat = setInterval(() => this.beat(), this.options.heartbeatMs);
      this.heartbeat.unref();
    }
    this.mark(eventId, 0);
  }

  /** Ends every stream and releases the LISTEN connection (shutdown). New streams get 503. */
  async close(): Promise<void> {
    this.closed = true;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.idle) clearTimeout(this.idle);
    this.flushTimer = this.heartbeat = this.idle = null;
    for (const watched of [...this.events.values()]) {
      for (const sub of [...watched.subscribers]) sub.res.end();
    }
    await Promise.all([this.listener.stop(), this.flushing]);
  }

  private drop(sub: Subscriber): void {
    const watched = this.events.get(sub.eventId);
    if (!watched?.subscribers.delete(sub)) return;
    this.streams--;
    const left = (this.perClient.get(sub.client) ?? 1) - 1;
    if (left > 0) this.perClient.set(sub.client, left);
    else this.perClient.delete(sub.client);
    if (watched.subscribers.size === 0) {
      if (watched.expiry) clearTimeout(watched.expiry);
      this.events.delete(sub.eventId);
    }
    if (this.streams === 0 && !this.closed) {
      if (this.heartbeat) clearInterval(this.heartbeat);
      this.heartbeat = null;
      this.idle = setTimeout(() => {
        this.idle = null;
        if (this.streams === 0) void this.listener.stop();
      }, this.options.idleMs ?? 60_000);
      this.idle.unref();
    }
  }

  /** A NOTIFY: the payload is an event id; only events someone here watches cost anything. */
  private changed(payload: string): void {
    const id = Number(payload);
    if (Number.isSafeInteger(id) && this.events.has(id)) this.mark(id, this.options.coalesceMs);
  }

  /** LISTEN is (back) in place: whatever changed while it was not is unknown, so recompute everything watched. */
  private caughtUp(reconnected: boolean): void {
    for (const id of this.events.keys()) this.dirty.add(id);
    if (reconnected) this.forceNext = true;
    this.schedule(0);
  }

  private mark(eventId: number, window: number): void {
    this.dirty.add(eventId);
    this.schedule(Math.max(0, this.lastFlushAt + window - Date.now()));
  }

  private schedule(delay: number): void {
    if (this.closed) return;
    const at = Date.now() + delay;
    if (this.flushTimer && this.flushAt <= at) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushAt = at;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      if (this.flushing) return; // it reschedules what is still dirty when it ends
      this.flushing = this.flush().finally(() => {
        this.flushing = null;
        if (this.dirty.size) this.schedule(Math.max(0, this.lastFlushAt + this.options.coalesceMs - Date.now()));
      });
    }, delay);
  }

  private async flush(): Promise<void> {
    const ids = [...this.dirty].filter((id) => this.events.has(id));
    const force = this.forceNext;
    this.dirty.clear();
    this.forceNext = false;
    if (ids.length === 0) return;
    this.lastFlushAt = Date.now();
    let rows;
    try {
      this.recomputes++;
      rows = await figuresOf(ids, clock.now());
    } catch (err) {
      logger.warn({ err: (err as Error).message }, 'availability recompute failed; retrying');
      for (const id of ids) this.dirty.add(id);
      this.forceNext ||= force;
      // Holds the next recompute back a second (the database is likely down or restarting).
      this.lastFlushAt = Date.now() + FAILED_RECOMPUTE_RETRY_MS;
      return;
    }
    const found = new Map(rows.map((f) => [f.event_id, f]));
    for (const id of ids) {
      const watched = this.events.get(id);
      if (!watched) continue;
      const figures = found.get(id);
      if (!figures) {
        // The event is gone: nothing more will ever be sent.
        for (const sub of [...watched.subscribers]) sub.res.end();
        continue;
      }
      const audience = `${figures.is_public}/${figures.is_active}`;
      if (watched.audience !== null && watched.audience !== audience) {
        // Made private or inactive (or opened up): end the streams; EventSource reconnects and the
        // route checks each client again, so nobody keeps watching an event they may no longer see.
        for (const sub of [...watched.subscribers]) sub.res.end();
        continue;
      }
      watched.audience = audience;
      this.deliver(watched, JSON.stringify(presentAvailability(figures)), force);
      this.planExpiry(id, watched, figures.next_expiry);
    }
  }

  private deliver(watched: Watched, json: string, force: boolean): void {
    const changed = json !== watched.last;
    watched.last = json;
    const text = frame(json);
    for (const sub of watched.subscribers) {
      if (sub.started && !changed && !force) continue;
      sub.started = true;
      this.write(sub, text);
    }
  }

  private planExpiry(eventId: number, watched: Watched, next: Date | null): void {
    if (watched.expiry) clearTimeout(watched.expiry);
    watched.expiry = null;
    if (!next) return;
    // A little past the instant, so the recompute's "now" is surely beyond it.
    const ms = Math.min(Math.max(next.getTime() - clock.now().getTime() + 10, 0), 2 ** 31 - 1);
    watched.expiry = setTimeout(() => {
      watched.expiry = null;
      // A watched hold lapsing is a read noticing it: its seats go to the waitlist's head now, not at
      // the next sweep. Every instance may try; admission locks the event, so the first one admits.
      admitIfHoldsExpired(systemContext(), eventId)
        .catch((err: Error) => logger.warn({ err: err.message, eventId }, 'waitlist admission on hold expiry failed; the sweep will do it'))
        .finally(() => this.mark(eventId, 0));
    }, ms);
    watched.expiry.unref();
  }

  private beat(): void {
    for (const watched of this.events.values()) {
      for (const sub of watched.subscribers) this.write(sub, ': heartbeat\n\n');
    }
  }

  private write(sub: Subscriber, text: string): void {
    const { res } = sub;
    if (res.writableEnded || res.destroyed) return;
    res.write(text);
    if (res.writableLength > MAX_BUFFERED_BYTES) res.destroy();
  }
}

const HUB = 'availabilityHub';

/** Gives the app its own hub (each app instance listens for itself, as separate servers would). */
export function attachAvailabilityHub(app: Express, options: HubOptions): AvailabilityHub {
  const hub = new AvailabilityHub(options);
  app.locals[HUB] = hub;
  return hub;
}

export function availabilityHub(app: Pick<Express, 'locals'>): AvailabilityHub {
  const hub = app.locals[HUB] as AvailabilityHub | undefined;
  if (!hub) throw new Error('this app has no availability hub (built without buildApp?)');
  return hub;
}
