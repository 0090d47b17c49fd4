import type { Model } from 'sequelize';

type Plain = Record<string, unknown>;

const normal = (v: unknown): unknown => (v instanceof Date ? v.toISOString() : v);

/**
 * The fields of `changes` that differ from `record`, as the audit log's old/new values. Values are
 * compared in their JSON form, so a DECIMAL "18.500000" and 18.5 written back count as a change
 * only when they really differ.
 */
export function diff(record: Model, changes: Plain): { oldValues: Plain; newValues: Plain } {
  const oldValues: Plain = {};
  const newValues: Plain = {};
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) continue;
    const before = normal(record.get(key));
    const after = normal(value);
    const same = typeof before === 'string' && typeof after === 'number'
      ? Number(before) === after
      : JSON.stringify(before) === JSON.stringify(after);
    if (same) continue;
    oldValues[key] = before ?? null;
    newValues[key] = after ?? null;
  }
  return { oldValues, newValues };
}
