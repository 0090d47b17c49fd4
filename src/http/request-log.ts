import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { pinoHttp } from 'pino-http';
import { logger } from '../lib/logger.js';

type LoggedRequest = IncomingMessage & { id?: unknown; originalUrl?: string };

/*
 * One line per request with what operations read: id, method, path, client, user agent, status and
 * time. No header dump: the default serializers copied every header into each request's child
 * logger and then redacted Authorization and cookies — ≈ 5 % of a discovery request's CPU
 * (BENCHMARKS.md), for headers nobody reads; now they are never logged at all.
 */
export const serializers = {
  req: (req: LoggedRequest) => ({
    id: req.id, method: req.method, url: req.originalUrl ?? req.url, remoteAddress: req.socket?.remoteAddress,
    userAgent: req.headers['user-agent'],
  }),
  res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
  err: pino.stdSerializers.err,
};

/** The request logger and request id (X-Request-Id: a well-formed incoming one is kept, else a new uuid). */
export const requestLog = () => pinoHttp({
  logger,
  wrapSerializers: false,
  serializers,
  genReqId: (req, res) => {
    const id = (typeof req.headers['x-request-id'] === 'string' && /^[\w-]{1,64}$/.test(req.headers['x-request-id']))
      ? req.headers['x-request-id'] : randomUUID();
    res.setHeader('X-Request-Id', id);
    return id;
  },
  autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
});
