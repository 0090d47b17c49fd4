import { createRequire } from 'node:module';
import type { ZodType } from 'zod';
import { z } from './zod.js';

type Json = { [k: string]: unknown };

/**
 * fast-json-stringify wants a plain serialization schema: validation keywords (pattern, format,
 * bounds) only cost it time, and `anyOf: [X, null]` makes it run a validator per value to pick a
 * branch, so a nullable is folded into `type: [X, 'null']`.
 */
function plain(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(plain);
  if (!node || typeof node !== 'object') return node;
  const src = node as Json;
  const anyOf = src.anyOf as Json[] | undefined;
  if (anyOf?.length === 2 && anyOf.some((s) => s.type === 'null')) {
    const other = plain(anyOf.find((s) => s.type !== 'null')) as Json;
    return { ...other, type: [other.type, 'null'] };
  }
  const out: Json = {};
  for (const [k, v] of Object.entries(src)) {
    if (['pattern', 'format', 'minimum', 'maximum', 'minLength', 'maxLength', '$schema', 'id'].includes(k)) continue;
    out[k] = k === 'properties' ? Object.fromEntries(Object.entries(v as Json).map(([p, s]) => [p, plain(s)])) : plain(v);
  }
  return out;
}

/**
 * A serializer compiled once from the same zod schema that documents the response (OpenAPI) —
 * for hot read paths, where JSON.stringify's per-value type dispatch shows in the profile. It
 * writes exactly the schema's properties, so a presenter can never leak an extra field through it.
 */
export function compileSerializer<T extends ZodType>(schema: T): (value: z.output<T>) => string {
  let compiled: ((value: z.output<T>) => string) | undefined;
  return (value) => {
    // Compiled on first use: fast-json-stringify and its ajv cost ~150 ms of CPU to load, which
    // would otherwise sit on the way to /readyz (bench/scenarios/startup.ts).
    if (!compiled) {
      const fastJson = createRequire(import.meta.url)('fast-json-stringify') as typeof import('fast-json-stringify');
      const json = plain(z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }));
      compiled = fastJson(json as Parameters<typeof fastJson>[0]) as (value: z.output<T>) => string;
    }
    return compiled(value);
  };
}
