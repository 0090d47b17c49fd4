import type { QueryInterface } from 'sequelize';

/* Every table carries updated_at, touched by loopin_touch_updated_at (0001): 0700's two tables too. */
export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
ALTER TABLE checkin_signing_key ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
ALTER TABLE checkin_scan ADD COLUMN updated_at TIMESTAMPTZ NOT NULL DEFAULT now();
CREATE TRIGGER checkin_signing_key_touch_updated_at BEFORE UPDATE ON checkin_signing_key FOR EACH ROW EXECUTE FUNCTION loopin_touch_updated_at();
CREATE TRIGGER checkin_scan_touch_updated_at BEFORE UPDATE ON checkin_scan FOR EACH ROW EXECUTE FUNCTION loopin_touch_updated_at();
`);
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
DROP TRIGGER IF EXISTS checkin_scan_touch_updated_at ON checkin_scan;
DROP TRIGGER IF EXISTS checkin_signing_key_touch_updated_at ON checkin_signing_key;
ALTER TABLE checkin_scan DROP COLUMN IF EXISTS updated_at;
ALTER TABLE checkin_signing_key DROP COLUMN IF EXISTS updated_at;
`);
}
