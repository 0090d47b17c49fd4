import type { Filter } from 'adminjs';
import { Op, col, fn, literal, where, type WhereOptions } from 'sequelize';
import type { LoopinResource } from './resource.js';
import { isUuid } from '../lib/uuid.js';
import { containsPattern } from '../lib/like.js';


interface FilterElement {
  path: string;
  value: unknown;
  property: { name(): string; type(): string } | null;
}

/**
 * AdminJS filters → a Sequelize `where` that indexes can serve. The stock adapter turns every string
 * filter into `LIKE '%…%'` (a sequential scan on a big table); here strings match exactly (status,
 * action, phone, uuid, object_type all have b-tree indexes), except the few columns declared
 * `substring`, which are matched as lower(col) LIKE, the expression the trigram indexes cover.
 * A value that cannot match its column type (text in a number filter) matches nothing instead of
 * erroring.
 */
export function whereFor(resource: LoopinResource, filter: Filter | undefined): WhereOptions {
  const and: WhereOptions[] = [];
  const elements = Object.values((filter?.filters ?? {}) as Record<string, FilterElement>);
  for (const { property, value, path } of elements) {
    if (!property || path.includes('.')) continue;
    const name = property.name();
    if (!resource.model.getAttributes()[name] || (resource.rules.secrets ?? []).includes(name)) continue;
    const clause = clauseFor(resource, name, property.type(), value);
    if (clause) and.push(clause);
  }
  return and.length ? { [Op.and]: and } : {};
}

function clauseFor(resource: LoopinResource, name: string, type: string, value: unknown): WhereOptions | null {
  switch (type) {
    case 'number':
    case 'reference': {
      const n = Number(value);
      return Number.isSafeInteger(n) ? { [name]: n } : nothing();
    }
    case 'float': {
      const n = Number(value);
      return Number.isFinite(n) ? { [name]: String(value) } : nothing();
    }
    case 'boolean':
      return value === 'true' ? { [name]: true } : value === 'false' ? { [name]: false } : null;
    case 'date':
    case 'datetime': {
      const range = (value ?? {}) as { from?: string; to?: string };
      const from = validDate(range.from);
      const to = validDate(range.to);
      if (!from && !to) return null;
      return { [name]: { ...(from ? { [Op.gte]: from } : {}), ...(to ? { [Op.lte]: to } : {}) } };
    }
    case 'string': {
      const text = String(value ?? '').trim();
      if (!text) return null;
      if ((resource.rules.substring ?? []).includes(name)) {
        const pattern = containsPattern(text.toLowerCase());
        return where(fn('lower', col(name)), Op.like, pattern);
      }
      if ((resource.rules.lowercase ?? []).includes(name)) return where(fn('lower', col(name)), text.toLowerCase());
      const attrType = (resource.model.getAttributes()[name]?.type as { key?: string } | undefined)?.key;
      if (attrType === 'UUID' && !isUuid(text)) return nothing();
      if (attrType === 'INET' && !/^[0-9a-f.:/]+$/i.test(text)) return nothing();
      return { [name]: text };
    }
    default:
      return null;
  }
}

function validDate(v: unknown): Date | null {
  if (typeof v !== 'string' || !v) return null;
  const d = new Date(v);
  return Number.isNaN(d.getTime()) ? null : d;
}

function nothing(): WhereOptions {
  return literal('false') as unknown as WhereOptions;
}
