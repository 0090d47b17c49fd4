import type { Sequelize } from 'sequelize';

/** `n` plain users (+9190…) with profiles, for audit subjects and notification recipients. */
export async function seedUsers(db: Sequelize, n: number): Promise<void> {
  await db.query(`
    INSERT INTO auth_user (username, first_name, last_name, is_staff, date_joined)
    SELECT '+9190' || lpad(g::text, 8, '0'), 'User', g::text, false, now() - g * interval '1 hour' FROM generate_series(1, ${n}) g`);
}

const ACTIONS = `(ARRAY['create','update','delete','login','logout'])`;

/**
 * `rows` AUDIT_LOG rows set-based, in batches of 100k, spread evenly from `from` to now, actors and
 * subjects over the first 1,000 users. subject_digest (NOT NULL since 0510) is a sha256 of the
 * pair, the shape the writer stores; the rows are left unsealed (the sealer is not under test).
 */
export async function seedAuditLog(db: Sequelize, rows: number, from: string, progress: (done: number) => void): Promise<void> {
  const BATCH = 100_000;
  for (let lo = 0; lo < rows; lo += BATCH) {
    const hi = Math.min(rows, lo + BATCH);
    await db.query(`
      WITH span AS (SELECT ${from} AS t0, extract(epoch FROM now() - ${from}) AS secs)
      INSERT INTO audit_log (actor_user_id, user_id, action, command, object_type, object_id, payload, metadata,
                             ip_address, user_agent, severity, is_successful, subject_digest, created_at, updated_at)
      SELECT a, u, ${ACTIONS}[1 + g % 5], 'bench.' || ${ACTIONS}[1 + g % 5], 'event', g % 50000, '{"source":"bench"}', '{}',
             '10.0.0.1', 'bench', 'low', g % 97 <> 0, encode(sha256(('[' || a || ',' || u || ']')::bytea), 'hex'), t, t
        FROM generate_series(${lo + 1}, ${hi}) g, span,
             LATERAL (SELECT 1 + g % 1000 AS a, 1 + (g * 7) % 1000 AS u,
                             span.t0 + ((g::float8 / ${rows}) * span.secs) * interval '1 second' AS t) x`);
    progress(hi);
  }
}
