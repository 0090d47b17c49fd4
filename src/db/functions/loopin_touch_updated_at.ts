import { plpgsql } from './define.js';

/**
 * Keeps updated_at honest for raw-SQL updates that bypass the ORM, leaving an explicitly written
 * value (the app clock's) untouched. Attached to every table with updated_at by the migrations.
 */
export default plpgsql({
  name: 'loopin_touch_updated_at',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
`,
});
