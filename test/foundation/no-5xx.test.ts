import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.js';
import { api, bearer } from '../support/app.js';
import { buildEvent, buildUser } from '../support/factories.js';

/**
 * "A 5xx is always a bug: no input may produce one." Every operation the OpenAPI document lists is
 * called with hostile path parameters, bodies and query strings, anonymous and authenticated; each
 * answer must be < 500, and every 4xx must be problem+json.
 */
const PATH_VALUES = ['x', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', "' OR 1=1 --", '%00', 'a'.repeat(300)];
const BODIES: unknown[] = [
  {}, [], 'text', 42, null,
  { phone_number: 12, otp_code: [], refresh_token: {}, title: null, start_time: 'yesterday', seats_requested: -1 },
  { name: '\u0000', max_capacity: 'lots', ticket_price: Number.MAX_VALUE, cover_images: 'x', event_interests: [{}], uuids: ['x'] },
];
const QUERIES = ['?cursor=%%%', '?page_size=0', '?page_size=abc&cursor=eyJ4Ijp9', '?starts_after=tomorrow&is_paid=maybe&host=x&unread=2'];

describe('no input produces a 5xx', () => {
  it('holds for every documented operation', async () => {
    const agent = await api();
    const user = await buildUser();
    const event = await buildEvent();
    const auth = await bearer(user);
    const doc = openApiDocument() as { paths: Record<string, Record<string, unknown>> };
    const failures: string[] = [];
    let calls = 0;
    for (const [template, ops] of Object.entries(doc.paths)) {
      for (const method of Object.keys(ops) as ('get' | 'post' | 'put' | 'patch' | 'delete')[]) {
        const values = template.includes('{event}') ? [...PATH_VALUES, event.uuid, event.slug] : PATH_VALUES;
        for (const value of values) {
          const path = `/api${template.replace(/\{[^}]+\}/g, encodeURIComponent(value))}`;
          for (const withAuth of [false, true]) {
            const inputs = method === 'get' || method === 'delete' ? QUERIES.map((q) => ({ q, body: undefined })) : BODIES.map((body) => ({ q: '', body }));
            for (const { q, body } of inputs) {
              let req = agent[method](path + q);
              if (withAuth) req = req.set('Authorization', auth);
              const res = body === undefined ? await req : await req.set('Content-Type', 'application/json').send(JSON.stringify(body));
              calls++;
              // A 503 the operation documents is the contract (e.g. a payment webhook whose secret is unset).
              const documented503 = res.status === 503 && !!(ops[method] as { responses?: Record<string, unknown> }).responses?.['503'];
              if (res.status >= 500 && !documented503) failures.push(`${method.toUpperCase()} ${path}${q} ${JSON.stringify(body)} → ${res.status} ${res.text.slice(0, 120)}`);
              else if (res.status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) {
                failures.push(`${method.toUpperCase()} ${path}${q} → ${res.status} without problem+json`);
              }
            }
          }
        }
      }
    }
    expect(calls).toBeGreaterThan(1000);
    expect(failures).toEqual([]);
  }, 300_000);
});
