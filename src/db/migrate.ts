import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { QueryInterface, Sequelize } from 'sequelize';
import { SequelizeStorage, Umzug, type MigrateUpOptions } from 'umzug';
import { applyFunctions } from './functions/apply.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export type Migration = (params: { context: QueryInterface }) => Promise<void>;

/**
 * umzug over src/db/migrations/*.ts (each exports `up` and `down`), recorded in `schema_migrations`.
 * Files run in name order: prefix new ones with the next number. Migrations hold tables, indexes,
 * grants and data; functions live in src/db/functions and are applied after them (see up()).
 */
export function createMigrator(
  sequelize: Sequelize, logger: Umzug<QueryInterface>['options']['logger'] = undefined, { functions = true } = {},
) {
  return new Migrator(sequelize, functions, {
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

/** The migration lock: concurrent starts (several instances) queue, the second finds nothing pending. */
const MIGRATION_LOCK = 268107777;

class Migrator extends Umzug<QueryInterface> {
  constructor(private readonly db: Sequelize, private readonly functions: boolean, options: ConstructorParameters<typeof Umzug<QueryInterface>>[0]) {
    super(options);
  }

  /**
   * Pending migrations, then — once the schema is at the newest migration — every function of
   * src/db/functions with CREATE OR REPLACE, in the lock's transaction. The lock lives on that
   * transaction's connection; migrations run on other ones. `functions: false` replays the
   * migrations alone, as a database built before src/db/functions existed was (tests).
   */
  override async up(options?: MigrateUpOptions) {
    return this.db.transaction(async (transaction) => {
      await this.db.query(`select pg_advisory_xact_lock(${MIGRATION_LOCK})`, { transaction });
      const done = await super.up(options);
      if (this.functions && (await this.pending()).length === 0) await applyFunctions(this.db, transaction);
      return done;
    });
  }
}

/** Applies pending migrations and the functions; returns the names of the migrations applied. */
export async function migrateUp(sequelize: Sequelize): Promise<string[]> {
  return (await createMigrator(sequelize).up()).map((m) => m.name);
}
