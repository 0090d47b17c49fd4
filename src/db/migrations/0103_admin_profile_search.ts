import type { QueryInterface } from 'sequelize';

/*
 * Staff look people up by phone or by name. Phone matches exactly (b-tree); names match by
 * substring as lower(name) LIKE '%…%', which a trigram index serves (when pg_trgm is installed,
 * as 0001 arranges). Without these, the profile filters would scan a big table, and the panel's
 * rule is that every list filter is served by an index.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    CREATE INDEX user_profile_phone ON user_profile (phone_number);
    DO $$
    BEGIN
      IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
        CREATE INDEX user_profile_name_trgm ON user_profile USING gin (lower(name) gin_trgm_ops);
      END IF;
    END $$;
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('DROP INDEX IF EXISTS user_profile_name_trgm; DROP INDEX IF EXISTS user_profile_phone;');
}
