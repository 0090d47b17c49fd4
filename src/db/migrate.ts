import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug } from 'umzug';

const here = path.dirname(fileURLToPath(import.meta.url));

export type Migration = (params: { context: QueryInterface }) => Promise<void>;

/**
 * umzug over src/db/migrations/*.ts (each exports `up` and `down`), recorded in `schema_migrations`.
 * Files run in name order: prefix new ones with the next number.
 */
export function createMigrator(sequelize: Sequelize, logger: Umzug<QueryInterface>['options']['logger'] = undefined) {
  return new Umzug<QueryInterface>({
    migrations: {
      glob: ['migrations/*.{ts,js}', { cwd: here, ignore: ['**/*.d.ts', '**/*.test.ts'] }],
      resolve: ({ name, path: file, context }) => ({
        name: name.replace(/\.(ts|js)$/, ''),
        up: async () => {
          const mod = (await import(file!)) as { up: Migration };
          return mod.up({ context });
        },
        down: async () => {
          const mod = (await import(file!)) as { down: Migration };
          return mod.down({ context });
        },
      }),
    },
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger,
  });
}

/**
 * Applies pending migrations. An advisory lock makes concurrent starts (several instances) safe:
 * the second waits, then finds nothing pending.
 */
export async function migrateUp(sequelize: Sequelize): Promise<string[]> {
  // The lock lives on the transaction's connection until it ends; migrations run on other ones.
  return sequelize.transaction(async (transaction) => {
    await sequelize.query('select pg_advisory_xact_lock(268107777)', { transaction });
    const done = await createMigrator(sequelize).up();
    return done.map((m) => m.name);
  });
}
