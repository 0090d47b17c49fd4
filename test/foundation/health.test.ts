import { describe, expect, it } from 'vitest';
import { api } from '../support/app.js';

describe('health and readiness', () => {
  it('answers /healthz while the process is up', async () => {
    const res = await (await api()).get('/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('answers /readyz 200 when the database is reachable', async () => {
    const res = await (await api()).get('/readyz');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ready');
  });

  it('tags every response with a request id', async () => {
    const res = await (await api()).get('/healthz').set('X-Request-Id', 'abc-123');
    expect(res.headers['x-request-id']).toBe('abc-123');
  });
});
