import { describe, expect, it } from 'vitest';
import { QueryTypes, type ModelStatic, type Model } from 'sequelize';
import { testDb } from '../support/db.js';
import { createMigrator } from '../../src/db/migrate.js';
import { TABLES } from '../../src/db/migrations/0001_initial_schema.js';

async function publicTables(): Promise<string[]> {
  const rows = await testDb().query<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`, { type: QueryTypes.SELECT });
  return rows.map((r) => r.name).sort();
}

async function indexCount(): Promise<number> {
  const [row] = await testDb().query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_indexes WHERE schemaname = 'public'`, { type: QueryTypes.SELECT });
  return row!.n;
}

interface Column { name: string; type: string; nullable: boolean }

/** The table's columns as PostgreSQL spells their types (with length, precision and scale). */
async function columnsOf(table: string): Promise<Map<string, Column>> {
  const rows = await testDb().query<Column>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable
       FROM pg_attribute a WHERE a.attrelid = :table::regclass AND a.attnum > 0 AND NOT a.attisdropped`,
    { replacements: { table }, type: QueryTypes.SELECT },
  );
  return new Map(rows.map((c) => [c.name, c]));
}

/** Postgres' spelling of a column type, so model and table can be compared. */
function normalizeType(type: unknown): string {
  const sql = typeof type === 'string' ? type : (type as { toSql(): string }).toSql();
  return sql.toUpperCase()
    .replace(/^VARCHAR/, 'CHARACTER VARYING')
    .replace(/^DECIMAL/, 'NUMERIC')
    .replace(/\s+/g, ' ');
}

describe('migrations', () => {
  it('goes up, all the way down, and up again', async () => {
    const migrator = createMigrator(testDb());
    expect((await migrator.executed()).map((m) => m.name)).toContain('0001_initial_schema');
    const tablesBefore = await publicTables();
    const indexesBefore = await indexCount();
    expect(tablesBefore).toEqual(expect.arrayContaining([...TABLES]));

    await migrator.down({ to: 0 });
    const afterDown = await publicTables();
    for (const table of TABLES) expect(afterDown).not.toContain(table);
    expect(await migrator.executed()).toEqual([]);

    await migrator.up();
    expect(await publicTables()).toEqual(tablesBefore);
    expect(await indexCount()).toBe(indexesBefore);
    expect(await migrator.pending()).toEqual([]);

    // And the re-created schema is fully usable.
    const [user] = await testDb().query<{ id: number }>(
      `INSERT INTO auth_user (username) VALUES ('+919999999999') RETURNING id`, { type: QueryTypes.SELECT });
    expect(user!.id).toBeGreaterThan(0);
  });

  it('keeps every model in step with its table (columns, types, nullability)', async () => {
    const sequelize = testDb();
    const models = Object.values(sequelize.models) as ModelStatic<Model>[];
    const modelTables = models.map((m) => m.getTableName() as string);
    expect(modelTables).toEqual(expect.arrayContaining([...TABLES]));

    for (const model of models) {
      const table = model.getTableName() as string;
      if (!(TABLES as readonly string[]).includes(table)) continue; // another migration's table
      const columns = await columnsOf(table);
      const attributes = Object.values(model.getAttributes());
      expect(attributes.map((a) => a.field).sort(), table).toEqual([...columns.keys()].sort());
      for (const attribute of attributes) {
        const column = columns.get(attribute.field!)!;
        const where = `${table}.${attribute.field}`;
        expect(normalizeType(attribute.type), where).toBe(normalizeType(column.type));
        const nullable = attribute.allowNull !== false && !attribute.primaryKey;
        expect(nullable, `${where} nullability`).toBe(column.nullable);
      }
    }
  });
});
