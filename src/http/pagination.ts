import { z } from '../lib/zod.js';

/** `?cursor=&page_size=` for every list (keyset pagination; page_size 1–100, default 20). */
export const PageQuery = z.object({
  cursor: z.string().max(500).optional().openapi({ description: 'Opaque cursor from a previous page\'s `next`' }),
  page_size: z.coerce.number().int().min(1).max(100).default(20),
});

export const page = <T extends z.ZodType>(item: T) =>
  z.object({ results: z.array(item), next: z.string().nullable() });

/** Cuts a page fetched with `limit + 1` rows into results and the next cursor. */
export function toPage<R, J>(rows: R[], size: number, present: (r: R) => J, cursorOf: (r: R) => string): { results: J[]; next: string | null } {
  const more = rows.length > size;
  const kept = more ? rows.slice(0, size) : rows;
  return { results: kept.map(present), next: more ? cursorOf(kept[kept.length - 1]!) : null };
}
