import type { QueryInterface } from 'sequelize';

/*
 * event_image gets a public uuid: the API deletes and reorders images by
 * `/events/{event}/images/{uuid}`, and numeric ids never appear in paths. The default fills
 * existing rows; the unique index backs lookups by uuid.
 */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    ALTER TABLE event_image ADD COLUMN uuid UUID NOT NULL DEFAULT gen_random_uuid();
    CREATE UNIQUE INDEX event_image_uuid_key ON event_image (uuid);
  `);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query('ALTER TABLE event_image DROP COLUMN IF EXISTS uuid;');
}
