import crypto from 'node:crypto';

/*
 * A frozen copy of the audit chain's hashing as migrations 0501 and 0510 applied it
 * (src/modules/audit/chain.ts at that time). Migrations are a record of what ran: they must not
 * follow the domain's code as it evolves. test/audit/frozen-chain.test.ts pins equal results.
 */

export const GENESIS = '0'.repeat(64);

export interface ChainedContent {
  id: number;
  action: string;
  command: string | null;
  object_type: string | null;
  object_id: number | null;
  object_uuid: string | null;
  payload: unknown;
  metadata: unknown;
  old_values: unknown;
  new_values: unknown;
  ip_address: string | null;
  user_agent: string | null;
  session_key: string | null;
  severity: string;
  is_successful: boolean;
  error_message: string | null;
  created_at: Date;
  subject_digest: string;
}

const sha256 = (value: string): string => crypto.createHash('sha256').update(value).digest('hex');

export function canonicalJson(value: unknown): string {
  return stringifySorted(value === undefined ? null : JSON.parse(JSON.stringify(value)));
}

function stringifySorted(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stringifySorted).join(',')}]`;
  if (v && typeof v === 'object') {
    const entries = Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${stringifySorted((v as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(v);
}

export function subjectDigest(actorUserId: number | null, userId: number | null): string {
  return sha256(canonicalJson([actorUserId, userId]));
}

export function rowHash(prevHash: string, content: ChainedContent): string {
  return sha256(prevHash + canonicalJson({ ...content, created_at: content.created_at.toISOString() }));
}
