import type { IncomingMessage } from 'node:http';

/** One Server-Sent Event as received. */
export interface SseEvent {
  event: string;
  data: string;
  at: number;
}

/** Splits complete SSE blocks off `buffer`: events, and the number of comment-only blocks (heartbeats). */
function parseBlocks(buffer: string): { events: Omit<SseEvent, 'at'>[]; comments: number; rest: string } {
  const blocks = buffer.split('\n\n');
  const rest = blocks.pop()!;
  const events: Omit<SseEvent, 'at'>[] = [];
  let comments = 0;
  for (const block of blocks) {
    const lines = block.split('\n');
    const event = lines.find((l) => l.startsWith('event:'))?.slice(6).trim();
    const data = lines.filter((l) => l.startsWith('data:')).map((l) => l.slice(5).replace(/^ /, '')).join('\n');
    if (event !== undefined || data) events.push({ event: event ?? 'message', data });
    else if (lines.every((l) => l.startsWith(':'))) comments++;
  }
  return { events, comments, rest };
}

/**
 * A superagent/supertest parser for routes that may answer a stream: an SSE response is read up to
 * its first event and then hung up on (a stream never ends by itself, so a plain request would wait
 * forever); any other response is read whole (JSON parsed). Use with `.buffer(true).parse(untilFirstEvent)`.
 */
export function untilFirstEvent(raw: unknown, done: (err: Error | null, body: unknown) => void): void {
  // superagent's types call it a Response; at run time the parser is handed the IncomingMessage.
  const res = raw as IncomingMessage;
  const type = String(res.headers['content-type'] ?? '');
  const streaming = type.startsWith('text/event-stream');
  let text = '';
  let finished = false;
  const finish = (body: unknown) => {
    if (finished) return;
    finished = true;
    (res as IncomingMessage & { text?: string }).text = text;
    done(null, body);
  };
  res.setEncoding('utf8');
  res.on('data', (chunk: string) => {
    text += chunk;
    if (!streaming) return;
    const [first] = parseBlocks(text).events;
    if (!first) return;
    let data: unknown = first.data;
    try {
      data = JSON.parse(first.data);
    } catch { /* left as text: the caller's assertion says what it expected */ }
    finish({ event: first.event, data });
    res.destroy();
  });
  res.on('end', () => {
    if (streaming) return finish({});
    try {
      finish(/json/.test(type) && text ? JSON.parse(text) : text);
    } catch {
      finish(text);
    }
  });
}

export interface SseClient {
  status: number;
  headers: Headers;
  /** The body of a refusal (problem+json), when status is not 200. */
  problem: Record<string, unknown> | null;
  events: SseEvent[];
  heartbeats: number[];
  /** The next event not yet taken (in arrival order), within `timeoutMs`. */
  next(timeoutMs?: number): Promise<SseEvent & { json: Record<string, unknown> }>;
  /** Takes events until one whose JSON matches `pred`. */
  until(pred: (json: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<SseEvent & { json: Record<string, unknown> }>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** Opens an SSE stream with fetch, reading it in the background. */
export async function openStream(url: string, headers: Record<string, string> = {}): Promise<SseClient> {
  const abort = new AbortController();
  const res = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  const events: SseEvent[] = [];
  const heartbeats: number[] = [];
  let taken = 0;
  const waiter: { wake: (() => void) | null } = { wake: null };
  let finished = false;
  let problem: Record<string, unknown> | null = null;
  let ended: Promise<void> = Promise.resolve();
  if (res.status !== 200) {
    problem = (await res.json()) as Record<string, unknown>;
    finished = true;
  } else {
    ended = (async () => {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          const parsed = parseBlocks(buffer + value);
          buffer = parsed.rest;
          for (let i = 0; i < parsed.comments; i++) heartbeats.push(Date.now());
          for (const e of parsed.events) events.push({ ...e, at: Date.now() });
          waiter.wake?.();
        }
      } catch { /* aborted by close() */ }
      finished = true;
      waiter.wake?.();
    })();
  }
  const next = async (timeoutMs = 5_000) => {
    const deadline = Date.now() + timeoutMs;
    while (taken >= events.length) {
      if (finished) throw new Error('stream ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        waiter.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      waiter.wake = null;
    }
    const e = events[taken++]!;
    return { ...e, json: JSON.parse(e.data) as Record<string, unknown> };
  };
  return {
    status: res.status, headers: res.headers, problem, events, heartbeats, next, ended,
    async until(pred, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const e = await next(Math.max(1, deadline - Date.now()));
        if (pred(e.json)) return e;
      }
    },
    close: () => abort.abort(),
  };
}
