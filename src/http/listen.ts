import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';

/**
 * The HTTP server around the app, with the timeouts Node leaves loose: a client must finish its
 * headers in 10 s and its whole request in 30 s (slowloris), idle keep-alive sockets close after
 * 5 s (longer than a typical proxy's reuse, shorter than the default 5 min of idle sockets pinned),
 * and headers are capped at 16 kB. Errors Node raises before the app sees the request (header
 * overflow, malformed request line) answer problem+json instead of an empty 4xx.
 */
export const SERVER_TIMEOUTS = {
  headersTimeout: 10_000,
  requestTimeout: 30_000,
  keepAliveTimeout: 5_000,
  maxHeaderSize: 16 * 1024,
} as const;

export function createHttpServer(app: Express): http.Server {
  const server = http.createServer({ maxHeaderSize: SERVER_TIMEOUTS.maxHeaderSize }, app);
  server.headersTimeout = SERVER_TIMEOUTS.headersTimeout;
  server.requestTimeout = SERVER_TIMEOUTS.requestTimeout;
  server.keepAliveTimeout = SERVER_TIMEOUTS.keepAliveTimeout;
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || (err.code === 'ECONNRESET')) {
      socket.destroy();
      return;
    }
    const [status, title, detail] = err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'Request header fields too large', `Headers must fit in ${SERVER_TIMEOUTS.maxHeaderSize / 1024} kB`]
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'Request timeout', 'The request took too long to arrive']
        : [400, 'Bad request', 'The request could not be parsed'];
    const body = JSON.stringify({ type: 'about:blank', title, status, detail, errors: [] });
    socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
  return server;
}
