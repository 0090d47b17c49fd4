import { Resource as SequelizeResource } from '@adminjs/sequelize';
import { BaseRecord, flat, ValidationError, type ActionContext, type Filter } from 'adminjs';
import { QueryTypes, type ModelStatic, type Model, type Transaction } from 'sequelize';
import { sequelize } from '../db/connection.js';
import { boundedCount } from './bounded-count.js';
import { whereFor } from './filters.js';
import { auditedWrite, type WriteContext } from './writes.js';
import type { CommandWrites } from './command-writes.js';

export interface ResourceRules {
  /** Columns never read into the panel (hashes, salts, tokens): not listed, shown, filtered or written. */
  secrets?: string[];
  /** Form fields that are no column (a new password): handed to the command, never shown or echoed. */
  formOnly?: string[];
  /** Columns the panel may show but never write (counters kept by commands). */
  readOnly?: string[];
  /** The whole table is read-only in the panel (ledgers, audit, webhooks), even for an action handler. */
  immutable?: boolean;
  /** String columns filtered by substring (lower(col) LIKE), for trigram-indexed text; others match exactly. */
  substring?: string[];
  /** String columns matched case-insensitively (lower(col) = lower(value)), for lower(col) indexes. */
  lowercase?: string[];
  /**
   * The writes a domain command owns (src/admin/command-writes.ts). The panel writes no row itself:
   * a resource without a command for new, edit or delete does not offer it (src/admin/admin.ts).
   */
  commands?: CommandWrites;
}

/** Tables this large get PostgreSQL's row estimate instead of an exact COUNT(*) on unfiltered lists. */
export const ESTIMATE_ABOVE = 50_000;

const ALWAYS_READ_ONLY = ['id', 'uuid', 'created_at', 'updated_at'];

/**
 * The Sequelize adapter, made safe and fast for Loopin:
 * - secret columns are excluded in SQL, so no list, show, search or populated reference carries them;
 * - an unfiltered count of a big table reads pg_class.reltuples (AdminJS counts on every list page,
 *   and an exact COUNT(*) over a million rows costs more than the page itself);
 * - filters compare exactly (index-friendly) instead of the adapter's `LIKE '%…%'` on every string;
 * - every write goes through `auditedWrite` to the domain command that owns it, inside the action's
 *   transaction; a write no command owns is refused.
 */
export class LoopinResource extends SequelizeResource {
  readonly model: ModelStatic<Model>;
  readonly rules: ResourceRules;

  constructor(model: ModelStatic<Model>, rules: ResourceRules = {}) {
    super(model);
    this.model = model;
    this.rules = rules;
  }

  private get secrets(): string[] {
    return this.rules.secrets ?? [];
  }

  override properties() {
    return super.properties().filter((p) => !this.secrets.includes(p.name()));
  }

  override property(path: string) {
    return this.secrets.includes(path.split('.')[0]!) ? null : super.property(path);
  }

  /** Attributes the panel may write: model columns minus keys, timestamps, counters and secrets. */
  writableColumns(): string[] {
    const blocked = new Set([...ALWAYS_READ_ONLY, ...(this.rules.readOnly ?? []), ...this.secrets]);
    return Object.keys(this.model.getAttributes()).filter((c) => !blocked.has(c));
  }

  /** Names that never leave the server in an action's answer (secret columns, form-only fields). */
  hidden(): string[] {
    return [...this.secrets, ...(this.rules.formOnly ?? [])];
  }

  private attributes() {
    return { exclude: this.secrets };
  }

  override async count(filter: Filter): Promise<number> {
    const where = whereFor(this, filter);
    if (!Reflect.ownKeys(where).length) {
      const estimate = await this.estimatedRows();
      if (estimate >= ESTIMATE_ABOVE) return estimate;
    }
    return boundedCount(this.model, where);
  }

  /** PostgreSQL's planner estimate (-1 when the table was never analysed). */
  async estimatedRows(): Promise<number> {
    const rows = await sequelize().query<{ n: number }>(
      'select reltuples::bigint as n from pg_class where oid = to_regclass(:table)',
      { replacements: { table: this.model.getTableName() as string }, type: QueryTypes.SELECT },
    );
    return Number(rows[0]?.n ?? -1);
  }

  override async find(filter: Filter, { limit = 20, offset = 0, sort = {} }: { limit?: number; offset?: number; sort?: { sortBy?: string; direction?: 'asc' | 'desc' } }) {
    const sortBy = sort.sortBy && this.model.getAttributes()[sort.sortBy] && !this.secrets.includes(sort.sortBy) ? sort.sortBy : 'id';
    const direction = sort.direction === 'asc' ? 'ASC' : 'DESC';
    const rows = await this.model.findAll({
      where: whereFor(this, filter),
      attributes: this.attributes(),
      limit,
      offset,
      // The id tie-break keeps pages stable when the sort column repeats (status, created_at).
      order: sortBy === 'id' ? [['id', direction]] : [[sortBy, direction], ['id', direction]],
    });
    return rows.map((r) => new BaseRecord(r.toJSON(), this));
  }

  override async findOne(id: string) {
    const row = await this.findById(id);
    return row ? new BaseRecord(row.toJSON(), this) : null;
  }

  override async findMany(ids: Array<string | number>) {
    const valid = ids.map(Number).filter((n) => Number.isSafeInteger(n));
    const rows = await this.model.findAll({ where: { id: valid }, attributes: this.attributes() });
    return rows.map((r) => new BaseRecord(r.toJSON(), this));
  }

  override async findById(id: string | number) {
    const n = Number(id);
    if (!Number.isSafeInteger(n)) return null;
    return this.model.findByPk(n, { attributes: this.attributes() });
  }

  override async populate(records: BaseRecord[], property: { name(): string }) {
    const ids = [...new Set(records.map((r) => Number(r.param(property.name()))).filter(Number.isSafeInteger))];
    if (!ids.length) return records;
    const rows = await this.model.findAll({ where: { id: ids }, attributes: this.attributes() });
    const byId = new Map(rows.map((r) => [Number(r.get('id')), r]));
    for (const record of records) {
      const row = byId.get(Number(record.param(property.name())));
      if (row) record.populated[property.name()] = new BaseRecord(row.toJSON(), this);
    }
    return records;
  }

  override async create(params: Record<string, unknown>, context?: ActionContext) {
    return auditedWrite(this, writeContext(this, context), { kind: 'create', values: this.formValues(params) });
  }

  override async update(id: string, params: Record<string, unknown>, context?: ActionContext) {
    return auditedWrite(this, writeContext(this, context), { kind: 'update', id: Number(id), values: this.formValues(params) });
  }

  override async delete(id: string, context?: ActionContext) {
    await auditedWrite(this, writeContext(this, context), { kind: 'delete', id: Number(id) });
  }

  /** The form's flat params → writable column values ('' means NULL for nullable columns). */
  formValues(params: Record<string, unknown>): Record<string, unknown> {
    const nested = flat.unflatten(params) as Record<string, unknown>;
    const attrs = this.model.getAttributes();
    const out: Record<string, unknown> = {};
    for (const column of this.writableColumns()) {
      if (!(column in nested)) continue;
      let value = nested[column];
      if (value === '' && attrs[column]?.allowNull !== false) value = null;
      if (value === '' && !isStringType(attrs[column]?.type)) continue;
      out[column] = value;
    }
    for (const field of this.rules.formOnly ?? []) if (field in nested) out[field] = nested[field];
    return out;
  }
}

function isStringType(type: unknown): boolean {
  const name = (type as { key?: string } | undefined)?.key;
  return name === 'STRING' || name === 'TEXT' || name === 'UUID';
}

function writeContext(resource: LoopinResource, context?: ActionContext): WriteContext {
  if (resource.rules.immutable) throw new ValidationError({}, { message: `${resource.id()} is read-only`, type: 'readOnly' });
  const ctx = (context as (ActionContext & { loopin?: WriteContext }) | undefined)?.loopin;
  // Writes only happen inside the audited action wrapper (src/admin/audited-actions.ts).
  if (!ctx?.transaction) throw new Error('admin writes must run inside an audited action');
  return ctx as WriteContext & { transaction: Transaction };
}
