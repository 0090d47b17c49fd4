import fc from 'fast-check';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { openApiDocument } from '../../src/http/openapi.js';
import supertest from 'supertest';
import { createHttpServer } from '../../src/http/listen.js';
import { bearer, testApp } from '../support/app.js';
import { buildEvent, buildInvite, buildNotification, buildRequest, buildUser, buildVenue } from '../support/factories.js';
import { untilFirstEvent } from '../support/sse.js';

/**
 * Fuzzing from the served OpenAPI document (issue 15): every operation is called with inputs drawn
 * from its own documented schemas (valid-shaped) and with mutations of them — wrong types, nulls,
 * 100 kB strings, NUL and lone surrogates, huge numbers, extra and missing fields, bodies that are
 * not JSON or not objects, wrong content types, bad percent-encoding in paths, extreme cursors —
 * anonymously and as two different users. Every answer must be < 500, documented for that
 * operation, problem+json when 4xx, free of stack traces and SQL, and match its documented schema.
 */
type Schema = {
  type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[];
  format?: string; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; minItems?: number; maxItems?: number;
  $ref?: string; anyOf?: Schema[]; oneOf?: Schema[]; allOf?: Schema[]; default?: unknown; pattern?: string; nullable?: boolean;
};
type Param = { name: string; in: 'path' | 'query'; required?: boolean; schema: Schema };
type Operation = {
  parameters?: Param[]; security?: object[];
  requestBody?: { content: { 'application/json': { schema: Schema } } };
  responses: Record<string, { content?: Record<string, { schema: Schema }> }>;
};
interface Doc { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } }

const BUDGET_MS = 55_000;
const PER_OPERATION = 70;
/** Samples per operation per round: rounds go over every operation, so coverage is even when time runs out. */
const ROUND = 10;

const doc = openApiDocument() as Doc;

function deref(s: Schema, seen = 0): Schema {
  if (s.$ref && seen < 20) return deref(doc.components.schemas[s.$ref.split('/').pop()!]!, seen + 1);
  return s;
}

/** The whole schema with every $ref inlined, for ajv. */
function inline(s: unknown, depth = 0): unknown {
  if (depth > 30 || s === null || typeof s !== 'object') return s;
  if (Array.isArray(s)) return s.map((x) => inline(x, depth + 1));
  const ref = (s as Schema).$ref;
  if (ref) return inline(doc.components.schemas[ref.split('/').pop()!], depth + 1);
  return Object.fromEntries(Object.entries(s).map(([k, v]) => [k, inline(v, depth + 1)]));
}

const HOSTILE: unknown[] = [
  null, '', ' ', 'x'.repeat(100_000), '\u0000', 'a\u0000b', '\ud800', 'x\udfffy', '😀'.repeat(50), '\u202e\u0301', 1e308, -1e308,
  2 ** 63, -(2 ** 63), 2 ** 31, -1, 0, 0.5, -0, true, false, [], {}, [null], [[[[[]]]]], { $gt: '' }, "' OR 1=1 --", '"; drop table event; --',
  '../../etc/passwd', '%00', '9999-12-31T23:59:59Z', '0000-01-01T00:00:00Z', '-infinity', 'NaN', '1e999', '2026-02-30', '+0000000000',
  '00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', Array.from({ length: 1000 }, (_, i) => i),
];
const hostile = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map((n) => Number(n)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);

/** A value shaped like the schema says (not necessarily passing every refinement). */
function shaped(raw: Schema, depth = 0): fc.Arbitrary<unknown> {
  const s = deref(raw);
  if (s.anyOf ?? s.oneOf) return fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => shaped(x, depth + 1)));
  if (s.allOf) return shaped(s.allOf[0]!, depth + 1);
  if (s.enum) return fc.constantFrom(...s.enum);
  const types = Array.isArray(s.type) ? s.type : [s.type ?? 'string'];
  const arbs = types.map((t): fc.Arbitrary<unknown> => {
    switch (t) {
      case 'null': return fc.constant(null);
      case 'boolean': return fc.boolean();
      case 'integer': return fc.integer({ min: s.minimum ?? -10, max: s.maximum ?? 1000 });
      case 'number': return fc.double({ min: s.minimum ?? -1000, max: s.maximum ?? 1000, noNaN: true });
      case 'array': return depth > 3 ? fc.constant([]) : fc.array(shaped(s.items ?? {}, depth + 1), { minLength: s.minItems ?? 0, maxLength: Math.min(s.maxItems ?? 3, 3) });
      case 'object': {
        if (depth > 3 || !s.properties) return fc.constant({});
        const req = new Set(s.required ?? []);
        return fc.record(Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, shaped(v, depth + 1)])),
          { requiredKeys: Object.keys(s.properties).filter((k) => req.has(k)) });
      }
      default:
        if (s.format === 'uuid') return fc.uuid();
        if (s.format === 'date-time') return fc.date({ min: new Date('2020-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
        if (s.format === 'date') return fc.date({ min: new Date('1950-01-01'), max: new Date('2030-01-01'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
        if (s.format === 'uri') return fc.webUrl();
        return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) });
    }
  });
  return arbs.length === 1 ? arbs[0]! : fc.oneof(...arbs);
}

/** Valid-shaped, or mutated: one field hostile, a required field missing, an extra field, or the whole body hostile. */
function mutated(schema: Schema): fc.Arbitrary<unknown> {
  const s = deref(schema);
  const base = shaped(s);
  const keys = Object.keys(s.properties ?? {});
  return fc.oneof(
    { weight: 3, arbitrary: base },
    { weight: 4, arbitrary: fc.tuple(base, fc.constantFrom(...(keys.length ? keys : ['x'])), hostile).map(([b, k, v]) => ({ ...(b as object), [k]: v })) },
    { weight: 1, arbitrary: fc.tuple(base, fc.constantFrom(...(keys.length ? keys : ['x']))).map(([b, k]) => { const c = { ...(b as object) } as Record<string, unknown>; delete c[k]; return c; }) },
    { weight: 1, arbitrary: fc.tuple(base, fc.string({ maxLength: 20 }), hostile).map(([b, k, v]) => ({ ...(b as object), [k || 'extra']: v })) },
    { weight: 1, arbitrary: hostile },
  );
}

/** encodeURIComponent, except that a lone surrogate (which it refuses) goes out as its WTF-8 bytes. */
const enc = (v: string) => {
  try {
    return encodeURIComponent(v);
  } catch {
    return [...v].map((c) => { try { return encodeURIComponent(c); } catch { return '%ED%A0%80'; } }).join('');
  }
};

const BAD_PATH = ['%', '%E0%A4%A', '%ED%A0%80', '%C0%AF', '%00', '%FF%FE', '..%2F..%2F', `${'%41'.repeat(3000)}`];
const forgedCursor = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const CURSORS = [
  '%%%', 'x'.repeat(500), 'x'.repeat(501), forgedCursor(['99999-01-01', 'x']), forgedCursor([1e308, 2 ** 63]), forgedCursor([3]),
  forgedCursor(['-infinity', '00000000-0000-0000-0000-000000000000']), Buffer.alloc(64, 0xff).toString('base64url'), '====', '%ED%A0%80',
];

const SECRET_LEAK = /\n\s+at |\.ts:\d+|node_modules|Sequelize[A-Z]\w*Error|syntax error at|relation "[^"]+" does not exist|\bselect\b[^"]{0,80}\bfrom\b|\binsert into\b|\bpg_[a-z_]+\(/i;

describe('fuzzing every operation of the served OpenAPI document', () => {
  it('never answers 5xx, undocumented statuses, non-problem 4xx, leaks, or bodies off their schema', async () => {
    // The real server (src/http/listen.ts), so transport refusals (header overflow) are what production answers.
    const server = createHttpServer(await testApp());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const agent = supertest(server);
    const host = await buildUser();
    const stranger = await buildUser();
    const venue = await buildVenue({ created_by_id: host.id } as never);
    const open = await buildEvent({ host, status: 'published', is_public: true });
    const hidden = await buildEvent({ host, status: 'published', is_public: false });
    const draft = await buildEvent({ host, status: 'draft' });
    const request = await buildRequest({ event: open, requester: stranger });
    const invite = await buildInvite({ event: hidden, invitee: stranger });
    const note = await buildNotification({ recipient: stranger });
    const identities = { anonymous: null as string | null, stranger: await bearer(stranger), host: await bearer(host) };
    const eventRefs = [open.uuid, open.slug, hidden.uuid, hidden.slug, draft.uuid, draft.slug];
    const uuids = [request.uuid, invite.uuid, note.uuid, venue.uuid, open.uuid, '00000000-0000-4000-8000-000000000000'];

    const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: false });
    const validators = new Map<string, ReturnType<typeof ajv.compile>>();
    const validatorFor = (key: string, schema: Schema) => {
      if (!validators.has(key)) validators.set(key, ajv.compile(inline(schema) as object));
      return validators.get(key)!;
    };
    const problemValidator = validatorFor('Problem', { $ref: '#/components/schemas/Problem' });

    const pathValue = fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom(...eventRefs, ...uuids).map(enc) },
      { weight: 2, arbitrary: hostile.filter((v) => v !== '' && v !== null).map((v) => enc(typeof v === 'string' ? v : JSON.stringify(v) ?? 'x').slice(0, 4000) || 'x') },
      { weight: 1, arbitrary: fc.constantFrom(...BAD_PATH) },
    );

    const failures: string[] = [];
    let tried = 0;
    const started = Date.now();
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);
    const ops = Object.entries(doc.paths).flatMap(([template, methods]) => Object.entries(methods).map(([method, op]) => ({ template, method, op })));
    const perOperation = new Map<number, number>();
    const runOperation = async (index: number, { template, method, op }: (typeof ops)[number], round: number) => {
      const params = op.parameters ?? [];
      const query = params.filter((p) => p.in === 'query');
      const bodySchema = op.requestBody?.content['application/json']?.schema;
      const streams = Object.values(op.responses).some((r) => r.content && 'text/event-stream' in r.content);
      const input = fc.record({
        path: fc.array(pathValue, { minLength: 8, maxLength: 8 }),
        query: fc.oneof(
          fc.record(Object.fromEntries(query.map((p) => [p.name, fc.oneof(shaped(p.schema), hostile)]))),
          fc.record({ cursor: fc.constantFrom(...CURSORS), page_size: fc.constantFrom('1', '100', '101', '0', '-1', '1e309', '99999999999999999999') }),
        ),
        body: bodySchema ? mutated(bodySchema) : fc.constant(undefined),
        raw: fc.constantFrom('json', 'json', 'json', 'json', 'json', 'broken', 'text', 'form', 'array'),
        who: fc.constantFrom(...(Object.keys(identities) as (keyof typeof identities)[])),
        ip: fc.ipV4(),
      });
      // The first round always runs in full (every operation is covered however loaded the machine); later ones within the budget.
      for (const sample of fc.sample(input, { numRuns: PER_OPERATION, seed: seed + index }).slice(round * ROUND, (round + 1) * ROUND)) {
        if (round > 0 && Date.now() - started > BUDGET_MS) break;
        let i = 0;
        const path = `/api${template.replace(/\{[^}]+\}/g, () => sample.path[i++]!)}`;
        const qs = Object.entries(sample.query).filter(([, v]) => v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'string' && CURSORS.includes(v) ? v : enc(typeof v === 'string' ? v : JSON.stringify(v) ?? '')}`).join('&');
        const url = qs ? `${path}?${qs}` : path;
        let req = agent[method as 'get'](url).set('X-Forwarded-For', sample.ip);
        // A stream never ends by itself: read it up to its first event, then hang up.
        if (streams) req = req.buffer(true).parse(untilFirstEvent);
        if (identities[sample.who]) req = req.set('Authorization', identities[sample.who]!);
        let sent = 'no body';
        if (bodySchema) {
          const json = JSON.stringify(sample.body) ?? 'null';
          const [type, text] = sample.raw === 'broken' ? ['application/json', json.slice(0, Math.max(1, json.length - 1)) + '\u0000{']
            : sample.raw === 'text' ? ['text/plain', json]
              : sample.raw === 'form' ? ['application/x-www-form-urlencoded', 'a=1&b=%ZZ']
                : sample.raw === 'array' ? ['application/json', `[${json}]`] : ['application/json', json];
          req = req.set('Content-Type', type).send(text);
          sent = `${type} ${text.slice(0, 80)}`;
        }
        const res = await req;
        tried++;
        perOperation.set(index, (perOperation.get(index) ?? 0) + 1);
        const where = `${method.toUpperCase()} ${url.slice(0, 160)} as ${sample.who} (${sent}) → ${res.status}`;
        const documented = op.responses[String(res.status)];
        // A 503 the operation documents is its contract (a payment webhook whose secret is unset), not a crash.
        if (res.status >= 500 && !(res.status === 503 && documented)) failures.push(`${where}: ${res.text.slice(0, 200)}`);
        // 431 is the server's answer before any route runs (headers over 16 kB), the same for every path.
        else if (!documented && res.status !== 431) failures.push(`${where}: status not documented for ${method.toUpperCase()} ${template}`);
        if (SECRET_LEAK.test(res.text ?? '')) failures.push(`${where}: body leaks internals: ${res.text.slice(0, 200)}`);
        if (res.status >= 400) {
          if (!String(res.headers['content-type']).startsWith('application/problem+json')) failures.push(`${where}: not problem+json`);
          else if (!problemValidator(res.body)) failures.push(`${where}: problem off schema ${JSON.stringify(problemValidator.errors)}`);
        } else if (streams && String(res.headers['content-type']).startsWith('text/event-stream')) {
          // A documented stream opens with an event whose data is JSON.
          const first = res.body as { event?: string; data?: unknown };
          if (!first.event || typeof first.data !== 'object' || first.data === null) failures.push(`${where}: stream opened without a JSON event`);
        } else if (documented?.content?.['application/json']) {
          const check = validatorFor(`${method} ${template} ${res.status}`, documented.content['application/json'].schema);
          if (!check(res.body)) failures.push(`${where}: body off schema ${JSON.stringify(check.errors?.[0])}`);
        }
        if (failures.length > 30) break;
      }
    };
    // Three lanes at once: the database, not the test, should be the bottleneck.
    for (let round = 0; round * ROUND < PER_OPERATION && (round === 0 || Date.now() - started < BUDGET_MS); round++) {
      let nextOp = 0;
      await Promise.all(Array.from({ length: 3 }, async () => {
        while (nextOp < ops.length) {
          const index = nextOp++;
          await runOperation(index, ops[index]!, round);
        }
      }));
    }
    await new Promise((resolve) => server.close(resolve));
    console.log(`fuzz: ${tried} requests over ${ops.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${seed}), ${failures.length} failures`);
    expect(failures).toEqual([]);
    expect(Math.min(...ops.map((_, i) => perOperation.get(i) ?? 0)), 'requests for the least-tried operation').toBeGreaterThanOrEqual(ROUND);
  }, 180_000);
});
