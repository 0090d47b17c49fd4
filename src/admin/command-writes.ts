import type { Model } from 'sequelize';
import type { z } from 'zod';
import type { Context } from '../context.js';
import { fromZod } from '../http/problem.js';

/**
 * Panel writes that a domain command owns. Where a command exists (an event's details, a venue),
 * the panel's new/edit/delete call it instead of writing the row, so staff edits follow the same
 * rules, notifications and audit as the API. The adapters only translate the form's strings.
 */
export interface CommandWrites {
  create?: (ctx: Context, values: Record<string, unknown>) => Promise<Model>;
  update?: (ctx: Context, row: Model, values: Record<string, unknown>) => Promise<void>;
  delete?: (ctx: Context, row: Model) => Promise<void>;
}

export type FieldKind = 'string' | 'number' | 'boolean' | 'date' | 'list';

/**
 * The form's values (strings, '' or null for empty) → typed command input for the given fields,
 * validated by the command's own zod schema: a bad value is a 400 naming the field, shown on it.
 */
export function panelInput<S extends z.ZodType>(schema: S, values: Record<string, unknown>, fields: Record<string, FieldKind>): z.infer<S> {
  const input: Record<string, unknown> = {};
  for (const [name, kind] of Object.entries(fields)) {
    if (!(name in values)) continue;
    const raw = values[name];
    input[name] = raw === null || raw === '' ? null : convert(raw, kind);
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw fromZod(parsed.error);
  return parsed.data;
}

function convert(raw: unknown, kind: FieldKind): unknown {
  switch (kind) {
    case 'number':
      return typeof raw === 'number' ? raw : Number(raw);
    case 'boolean':
      return raw === true || raw === 'true';
    case 'list':
      return Array.isArray(raw) ? raw : [raw];
    case 'date': {
      // The API takes ISO-8601 with an offset; the panel's date picker sends what Date can read.
      const date = new Date(String(raw));
      return Number.isNaN(date.getTime()) ? String(raw) : date.toISOString();
    }
    default:
      return String(raw);
  }
}
