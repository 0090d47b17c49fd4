/**
 * Typed errors. Commands throw these; the one problem+json handler (src/http/problem.ts) turns
 * them into RFC 9457 responses. Anything else is a bug and answers a bare 500.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    detail: string,
    readonly errors: FieldError[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail);
  }
  get type(): string {
    return `https://loopin.dev/problems/${this.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  }
}

export class ValidationFailed extends AppError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(400, 'Invalid input', detail, errors);
  }
  static field(field: string, message: string): ValidationFailed {
    return new ValidationFailed(`${field}: ${message}`, [{ field, message }]);
  }
}
export class Unauthorized extends AppError {
  constructor(detail = 'Authentication required') {
    super(401, 'Unauthorized', detail, [], { 'WWW-Authenticate': 'Bearer' });
  }
}
export class Forbidden extends AppError {
  constructor(detail = 'You are not allowed to do this') {
    super(403, 'Forbidden', detail);
  }
}
export class NotFound extends AppError {
  constructor(what = 'Resource') {
    super(404, 'Not found', `${what} not found`);
  }
}
export class Conflict extends AppError {
  constructor(detail: string) {
    super(409, 'Conflict', detail);
  }
}
export class PayloadTooLarge extends AppError {
  constructor(detail = 'Request body is too large') {
    super(413, 'Payload too large', detail);
  }
}
export class BusinessRule extends AppError {
  constructor(detail: string, errors: FieldError[] = []) {
    super(422, 'Unprocessable', detail, errors);
  }
}
export class RateLimited extends AppError {
  constructor(retryAfterSeconds: number, detail = 'Too many requests') {
    super(429, 'Too many requests', detail, [], { 'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))) });
  }
}
export class ServiceUnavailable extends AppError {
  constructor(detail: string) {
    super(503, 'Service unavailable', detail);
  }
}
