import { sha256 } from '../../lib/crypto.js';

/** prev_hash of the first row of the chain. */
export const GENESIS = '0'.repeat(64);

/**
 * Advisory lock (two-int form: a key space apart from the single-key job locks) that serializes
 * the chain head: one sealer links rows at a time (src/modules/audit/commands/seal.ts). Writers never take it.
 */
export const CHAIN_LOCK = { ns: 0x41554454 /* 'AUDT' */, key: 1 };

/**
 * The SELECT list that reads a row's hashed content back (plus ids and chain columns). The sealer
 * and the verifier both hash what this returns, so they cannot disagree on a spelling.
 */
export const CHAINED_COLUMNS = `id, actor_user_id, user_id, action, command, object_type, object_id, object_uuid, payload, metadata,
  old_values, new_values, host(ip_address) AS ip_address, user_agent, session_key, severity, is_successful, error_message,
  created_at, subject_digest, prev_hash, row_hash, seal_seq`;

/** A row as CHAINED_COLUMNS reads it. */
export type StoredRow = ChainedContent & {
  actor_user_id: number | null; user_id: number | null;
  prev_hash: string | null; row_hash: string | null; seal_seq: number | null;
};

/** The hashed part of a stored row (ids and chain columns left out). */
export function contentOf(row: StoredRow): ChainedContent {
  const { actor_user_id: _a, user_id: _u, prev_hash: _p, row_hash: _r, seal_seq: _s, ...content } = row;
  return content;
}

/** The audit_log columns a row hash covers, as read back from PostgreSQL. */
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
  /** `host(ip_address)`: PostgreSQL's own spelling, so writer and verifier agree. */
  ip_address: string | null;
  user_agent: string | null;
  session_key: string | null;
  severity: string;
  is_successful: boolean;
  error_message: string | null;
  created_at: Date;
  subject_digest: string;
}

/**
 * JSON with object keys sorted at every level. Values first go through JSON.stringify/parse, which
 * is exactly what storing them in JSONB does (Dates become ISO strings, undefined disappears), so
 * the hash of what was written equals the hash of what is read back.
 */
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

/**
 * The actor and concerned user are hashed through this digest rather than directly: deleting a
 * user sets their ids to NULL (ON DELETE SET NULL, the only UPDATE the append-only trigger lets
 * through), and the chain must still verify afterwards. A non-NULL id can still be checked against it.
 */
export function subjectDigest(actorUserId: number | null, userId: number | null): string {
  return sha256(canonicalJson([actorUserId, userId]));
}

export function rowHash(prevHash: string, content: ChainedContent): string {
  return sha256(prevHash + canonicalJson({ ...content, created_at: content.created_at.toISOString() }));
}
