import { plpgsql } from './define.js';
import { AVAILABILITY_CHANNEL } from './availability-channel.js';

/**
 * A seat hold was taken, paid, released, moved or deleted: the held figure of its event may have
 * changed. Repeats within one transaction reach listeners once (PostgreSQL folds equal payloads).
 */
export default plpgsql({
  name: 'loopin_availability_notify_reservation',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  IF TG_OP <> 'INSERT' THEN
    PERFORM pg_notify('${AVAILABILITY_CHANNEL}', OLD.event_id::text);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    PERFORM pg_notify('${AVAILABILITY_CHANNEL}', NEW.event_id::text);
  END IF;
  RETURN NULL;
END
`,
});
