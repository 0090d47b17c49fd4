import { QueryTypes, type Sequelize, type Transaction } from 'sequelize';
import { FUNCTIONS } from './index.js';

/**
 * Creates or replaces every function of src/db/functions in `transaction` (the migrate run's, which
 * holds the migration lock). A function whose arguments or result changed cannot be replaced in
 * place, so its older signature is dropped first.
 */
export async function applyFunctions(db: Sequelize, transaction: Transaction): Promise<void> {
  for (const f of FUNCTIONS) {
    const stale = await db.query<{ signature: string }>(
      `SELECT p.oid::regprocedure::text AS signature FROM pg_proc p
        WHERE p.proname = :name AND p.pronamespace = 'public'::regnamespace
          AND (pg_get_function_arguments(p.oid) <> :args OR pg_get_function_result(p.oid) <> :returns)`,
      { replacements: { name: f.name, args: f.args, returns: f.returns }, type: QueryTypes.SELECT, transaction },
    );
    for (const { signature } of stale) await db.query(`DROP FUNCTION ${signature}`, { transaction });
    await db.query(f.sql, { transaction });
  }
}
