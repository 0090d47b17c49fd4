import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ZodError } from 'zod';
import { BaseError, ConnectionError, DatabaseError, ForeignKeyConstraintError, UniqueConstraintError, ValidationError } from 'sequelize';
import { AppError, Conflict, NotFound, PayloadTooLarge, ServiceUnavailable, ValidationFailed, type FieldError } from '../lib/errors.js';
import { logger } from '../lib/logger.js';

/** Connection-level failures (also from the session store's own pg pool): refused, reset, too many clients, shutting down. */
const UNAVAILABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', '53300', '57P01', '57P03']);

/** The one place errors become RFC 9457 problem+json. No stack trace or SQL text ever leaves. */
export function toAppError(err: unknown): AppError | null {
  if (err instanceof AppError) return err;
  if (err instanceof ZodError) return fromZod(err);
  // Express decodes path parameters lazily; a bad escape that slipped past wellFormedUrl is still the client's.
  if (err instanceof URIError) return ValidationFailed.field('url', 'contains invalid percent-encoding');
  const adminErr = adminError(err);
  if (adminErr) return adminErr;
  const bodyErr = err as { type?: string; status?: number; expose?: boolean };
  if (bodyErr?.type === 'entity.parse.failed') return new ValidationFailed('Malformed JSON body');
  if (bodyErr?.type === 'entity.too.large') return new PayloadTooLarge();
  if (bodyErr?.type === 'encoding.unsupported' || bodyErr?.type === 'charset.unsupported') {
    return new ValidationFailed('Unsupported body encoding');
  }
  // The database is unreachable or the pool is exhausted: a passing outage, not a bug in the request.
  const code = (err as { code?: string; parent?: { code?: string } })?.code ?? (err as { parent?: { code?: string } })?.parent?.code;
  if (err instanceof ConnectionError || (err as Error)?.name === 'SequelizeConnectionAcquireTimeoutError' || UNAVAILABLE.has(code ?? '')) {
    return new ServiceUnavailable('The database is unavailable; try again shortly');
  }
  if (err instanceof UniqueConstraintError) return new Conflict('This would duplicate an existing record');
  if (err instanceof ForeignKeyConstraintError) return new Conflict('A related record is missing or still in use');
  if (err instanceof ValidationError) {
    return new ValidationFailed('Invalid input', err.errors.map((e) => ({ field: e.path ?? 'body', message: e.message })));
  }
  if (err instanceof DatabaseError) {
    const code = (err.parent as { code?: string })?.code;
    if (code === '23514' || code === '22001' || code === '22003' || code === '22007' || code === '22008') {
      return new ValidationFailed('A value is out of the allowed range');
    }
    // U+0000 in text (22021) or jsonb (22P05): the input is unstorable, not our failure.
    if (code === '22021' || code === '22P05') return new ValidationFailed('Text must not contain NUL characters');
    if (code === '22P02') return new NotFound();
  }
  if (typeof bodyErr?.status === 'number' && bodyErr.status >= 400 && bodyErr.status < 500 && bodyErr.expose) {
    return new AppError(bodyErr.status, 'Bad request', 'The request could not be processed');
  }
  return null;
}

/**
 * AdminJS's own refusals (unknown record or resource, an action it does not allow, a POST-only action
 * called with GET) are thrown as plain errors by its router; they are the client's mistake, not ours.
 */
function adminError(err: unknown): AppError | null {
  const e = err as { name?: string; message?: string };
  if (!(err instanceof Error)) return null;
  if (e.name === 'NotFoundError') return new NotFound('Record');
  if (e.name === 'ForbiddenError') return new AppError(403, 'Forbidden', 'You are not allowed to do this');
  if (/can be invoked only via `post`|should be either "post" or "get"/.test(e.message ?? '')) {
    return new AppError(400, 'Invalid input', 'This action accepts POST only');
  }
  return null;
}

export function fromZod(err: ZodError, prefix = ''): ValidationFailed {
  const errors: FieldError[] = err.issues.map((i) => ({
    field: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || 'body',
    message: i.message,
  }));
  return new ValidationFailed(errors.map((e) => `${e.field}: ${e.message}`).join('; '), errors);
}

export const problemHandler: ErrorRequestHandler = (err, req, res, next) => {
  if (res.headersSent) return next(err);
  const known = toAppError(err);
  if (!known) {
    logger.error({ err: err instanceof BaseError ? { name: err.name, message: err.message } : err, reqId: req.id }, 'unhandled error');
  }
  const status = known?.status ?? 500;
  res.status(status).set(known?.headers ?? {}).type('application/problem+json').send(JSON.stringify({
    type: known?.type ?? 'about:blank',
    title: known?.title ?? 'Internal server error',
    status,
    detail: known?.message ?? 'Something went wrong on our side',
    errors: known?.errors ?? [],
    instance: req.originalUrl.split('?')[0],
  }));
};

/** Unknown paths outside /api: a plain page for browsers, problem+json for everything else. */
export const pageNotFound: RequestHandler = (req, res) => {
  if (req.accepts(['application/json', 'application/problem+json', 'text/html']) === 'text/html') {
    res.status(404).type('text/html').send('<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Not found</title></head>'
      + '<body><h1>Not found</h1><p>There is nothing here. The API lives under <a href="/api/docs">/api</a>, the back office under <a href="/admin">/admin</a>.</p></body></html>');
    return;
  }
  res.status(404).type('application/problem+json').send(JSON.stringify({
    type: 'about:blank', title: 'Not found', status: 404, detail: 'Nothing is served at this path', errors: [], instance: req.path,
  }));
};

export const apiNotFound: RequestHandler = (req, _res, next) => {
  next(new NotFound(`Route ${req.method} ${req.baseUrl}${req.path}`));
};
