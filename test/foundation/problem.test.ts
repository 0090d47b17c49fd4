import { describe, expect, it } from 'vitest';
import { api } from '../support/app.js';

function expectProblem(res: { status: number; headers: Record<string, string>; body: Record<string, unknown>; text: string }, status: number) {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  expect(Array.isArray(res.body.errors)).toBe(true);
  expect(res.text).not.toMatch(/at .*\.(ts|js):\d+|node_modules|SELECT|INSERT/i);
}

describe('problem+json errors', () => {
  it('answers an unknown /api route with a 404 problem', async () => {
    const res = await (await api()).get('/api/no-such-thing');
    expectProblem(res, 404);
  });

  it('answers malformed JSON with a 400 problem', async () => {
    const res = await (await api()).post('/api/no-such-thing').set('Content-Type', 'application/json').send('{"a":');
    expectProblem(res, 400);
    expect(res.body.detail).toMatch(/malformed json/i);
  });

  it('answers an oversized body with a 413 problem', async () => {
    const big = JSON.stringify({ blob: 'x'.repeat(200 * 1024) });
    const res = await (await api()).post('/api/no-such-thing').set('Content-Type', 'application/json').send(big);
    expectProblem(res, 413);
  });

  it('serves the OpenAPI document and the docs page', async () => {
    const agent = await api();
    const doc = await agent.get('/api/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(doc.body.components.schemas.Problem).toBeDefined();
    const docs = await agent.get('/api/docs');
    expect(docs.status).toBe(200);
    expect((await agent.get('/api/docs/init.js')).text).toMatch(/openapi\.json/);
  });
});
