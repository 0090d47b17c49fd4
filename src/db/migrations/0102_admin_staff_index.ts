import type { QueryInterface } from 'sequelize';

/*
 * The panel filters users by is_staff / is_superuser ("who can sign in here?"). Staff are a handful
 * among possibly millions of users: partial indexes make those filters index scans, and the
 * panel's rule is that every list filter is served by an index.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    CREATE INDEX auth_user_staff ON auth_user (id) WHERE is_staff;
    CREATE INDEX auth_user_superuser ON auth_user (id) WHERE is_superuser;
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('DROP INDEX IF EXISTS auth_user_staff; DROP INDEX IF EXISTS auth_user_superuser;');
}
