import { plpgsql } from './define.js';
import { AVAILABILITY_CHANNEL } from './availability-channel.js';

/**
 * An event's availability changed (capacity, going count, status, who may see it) or it is gone: tell every
 * listening instance its id. Attached AFTER UPDATE with a WHEN on those columns, and AFTER DELETE.
 * Why NOTIFY: docs/decisions/1010-availability-stream.md.
 */
export default plpgsql({
  name: 'loopin_availability_notify_event',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  PERFORM pg_notify('${AVAILABILITY_CHANNEL}', (CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END)::text);
  RETURN NULL;
END
`,
});
