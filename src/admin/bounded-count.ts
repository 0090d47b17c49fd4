import { QueryTypes, type Model, type ModelStatic, type WhereOptions } from 'sequelize';
import { sequelize } from '../db/connection.js';

/** Filtered counts of big tables are exact up to here; beyond, the planner's estimate is shown. */
export const EXACT_COUNT_UP_TO = 10_000;

interface QueryGenerator {
  selectQuery(table: string, options: { where: WhereOptions; attributes: string[]; limit?: number }, model: ModelStatic<Model>): string;
}

/**
 * AdminJS counts the filtered set on every list page view. On a big table a filter can match
 * hundreds of thousands of rows, and an exact COUNT(*) of them costs more than the page itself:
 * count at most EXACT_COUNT_UP_TO + 1 matching rows (the scan stops there), and past that answer
 * PostgreSQL's row estimate for the filter (never less than what was counted).
 */
export async function boundedCount(model: ModelStatic<Model>, where: WhereOptions): Promise<number> {
  const db = sequelize();
  const qg = (db.getQueryInterface() as unknown as { queryGenerator: QueryGenerator }).queryGenerator;
  const select = (limit?: number) =>
    qg.selectQuery(model.getTableName() as string, { where, attributes: ['id'], ...(limit ? { limit } : {}) }, model).replace(/;\s*$/, '');
  const [counted] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM (${select(EXACT_COUNT_UP_TO + 1)}) bounded`, { type: QueryTypes.SELECT });
  if (counted!.n <= EXACT_COUNT_UP_TO) return counted!.n;
  const [plan] = await db.query<{ 'QUERY PLAN': [{ Plan: { 'Plan Rows': number } }] }>(`EXPLAIN (FORMAT JSON) ${select()}`, { type: QueryTypes.SELECT });
  return Math.max(counted!.n, Math.round(plan!['QUERY PLAN'][0].Plan['Plan Rows']));
}
