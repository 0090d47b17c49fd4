import type { z } from 'zod';
import { fromZod } from './problem.js';

/** Parses request input with a zod schema; failures become a 400 problem naming each field. */
export function parse<S extends z.ZodType>(schema: S, data: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(data ?? {});
  if (!result.success) throw fromZod(result.error, prefix);
  return result.data;
}
