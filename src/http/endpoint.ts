import type { NextFunction, Request, Response, Router } from 'express';
import type { ZodType } from 'zod';
import { z } from '../lib/zod.js';
import { contextFrom, type Context } from '../context.js';
import { authenticated, optionalAuth } from './authenticate.js';
import { Problem, registry } from './openapi.js';
import { parse } from './validate.js';
import { AppError, ValidationFailed } from '../lib/errors.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

export interface EndpointSpec<P extends ZodType, Q extends ZodType, B extends ZodType> {
  method: Method;
  /** OpenAPI-style path relative to /api, e.g. `/events/{event}/publish`. */
  path: string;
  summary: string;
  tags: string[];
  auth: 'required' | 'optional' | 'none';
  params?: P;
  query?: Q;
  body?: B;
  /** A multipart/form-data body instead of JSON: documented from this schema, read by the handler itself. */
  multipart?: ZodType;
  /** Success status (default 200) and the schema of its body (omit for 204). */
  status?: 200 | 201 | 202 | 204;
  /** Another success status the handler answers with the same body, and when (e.g. 200 for a repeated create). */
  alsoStatus?: { status: 200; description: string };
  response?: ZodType;
  /** Success bodies by media type for an endpoint that answers something other than JSON (its handler sends them). */
  media?: Record<string, ZodType>;
  /** false: a GET whose handler streams its body (SSE, CSV), so it carries no ETag and never answers 304. */
  etag?: false;
  /** Problem statuses this endpoint can answer besides 400/500 (401/403 are implied by auth; list 401 for token-in-body endpoints). */
  errors?: (401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 503)[];
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    ctx: Context;
    req: Request;
    res: Response;
  }) => Promise<unknown>;
}

/**
 * The body as the schema sees it: a request that carries bytes must carry JSON (else 415, instead of
 * silently reading `{}`), and a JSON body must be an object, never an array or a scalar.
 */
function jsonBody(req: Request): unknown {
  const carries = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
  if (carries && !req.is('application/json')) {
    throw new AppError(415, 'Unsupported media type', 'Send the body as application/json');
  }
  if (!carries) return {};
  if (req.body === null || typeof req.body !== 'object' || Array.isArray(req.body)) {
    throw ValidationFailed.field('body', 'must be a JSON object');
  }
  return req.body;
}

const problemContent = { 'application/problem+json': { schema: Problem } };
const problemText: Record<number, string> = {
  400: 'Invalid input (fields listed in `errors`)',
  401: 'Missing, invalid or expired access token',
  403: 'Not allowed',
  404: 'Not found',
  409: 'State conflict',
  413: 'Body too large',
  415: 'Unsupported media type (not JSON, or not multipart where a file is expected)',
  422: 'Business rule violated',
  429: 'Rate limited (see Retry-After)',
  503: 'A provider is unavailable',
};

/**
 * Declares one API endpoint: registers it in the OpenAPI document and mounts it on `router`
 * with parse (zod → 400) → authenticate → handler → JSON. Routes stay thin: the handler calls one
 * command and presents the result.
 */
export function endpoint<P extends ZodType = ZodType, Q extends ZodType = ZodType, B extends ZodType = ZodType>(
  router: Router,
  spec: EndpointSpec<P, Q, B>,
): void {
  const status = spec.status ?? 200;
  // Any authenticated call can meet a deactivated account (403 from authenticate.ts).
  const errorStatuses = [...new Set([
    400, ...(spec.auth === 'none' ? [] : [401, 403]), ...(spec.body ? [413, 415] : []), ...(spec.errors ?? []),
  ])];
  registry.registerPath({
    method: spec.method,
    path: spec.path,
    summary: spec.summary,
    tags: spec.tags,
    security: spec.auth === 'required' ? [{ bearer: [] }] : spec.auth === 'optional' ? [{ bearer: [] }, {}] : [],
    request: {
      ...(spec.params ? { params: spec.params as never } : {}),
      ...(spec.query ? { query: spec.query as never } : {}),
      ...(spec.body ? { body: { required: !spec.body.safeParse({}).success, content: { 'application/json': { schema: spec.body } } } } : {}),
      ...(spec.multipart ? { body: { required: true, content: { 'multipart/form-data': { schema: spec.multipart } } } } : {}),
    },
    responses: {
      [status]: spec.media
        ? { description: 'Success', content: Object.fromEntries(Object.entries(spec.media).map(([type, schema]) => [type, { schema }])) }
        : spec.response
          ? { description: 'Success', content: { 'application/json': { schema: spec.response } } }
          : { description: 'Success' },
      ...(spec.alsoStatus && spec.response
        ? { [spec.alsoStatus.status]: { description: spec.alsoStatus.description, content: { 'application/json': { schema: spec.response } } } }
        : {}),
      // Express tags every body it sends with an ETag and answers a matching If-None-Match with 304
      // (uploads set their own ETag); a streamed body (etag: false) has none.
      ...(spec.method === 'get' && spec.etag !== false ? { 304: { description: 'Not modified: If-None-Match names the current ETag (no body)' } } : {}),
      ...Object.fromEntries(errorStatuses.map((s) => [s, { description: problemText[s] ?? 'Error', content: problemContent }])),
    },
  });

  const expressPath = spec.path.replace(/\{(\w+)\}/g, ':$1');
  const auth = spec.auth === 'required' ? authenticated : spec.auth === 'optional' ? optionalAuth : null;
  const run = async (req: Request, res: Response) => {
    const params = spec.params ? parse(spec.params, req.params) : req.params;
    const query = spec.query ? parse(spec.query, req.query) : {};
    const body = spec.body ? parse(spec.body, jsonBody(req)) : {};
    const result = await spec.handler({ params, query, body, ctx: contextFrom(req), req, res } as never);
    if (res.headersSent) return;
    if (status === 204) res.status(204).end();
    else res.status(status).json(result);
  };
  const handlers = [
    ...(auth ? [auth] : []),
    (req: Request, res: Response, next: NextFunction) => {
      run(req, res).catch(next);
    },
  ];
  router[spec.method](expressPath, ...handlers);
}
