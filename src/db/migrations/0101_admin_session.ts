import type { QueryInterface } from 'sequelize';

/*
 * Not in the ERD: the AdminJS staff sessions (express-session via connect-pg-simple). They live in
 * PostgreSQL so that any instance behind the load balancer can serve any staff member. The shape is
 * the one connect-pg-simple expects; it is created here rather than by the store at runtime
 * (createTableIfMissing) so the app's database role needs no DDL rights.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    CREATE TABLE admin_session (
      sid     VARCHAR NOT NULL PRIMARY KEY,
      sess    JSON NOT NULL,
      expire  TIMESTAMP(6) NOT NULL
    );
    -- The store prunes expired sessions by this column.
    CREATE INDEX admin_session_expire ON admin_session (expire);
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('DROP TABLE IF EXISTS admin_session;');
}
