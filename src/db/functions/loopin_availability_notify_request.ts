import { plpgsql } from './define.js';
import { AVAILABILITY_CHANNEL, WAITLISTED } from './availability-channel.js';

/**
 * A request entered or left the waitlist (inserted, status changed, deleted): the waitlisted figure
 * of its event changed. Any other request change leaves availability alone and notifies nobody.
 */
export default plpgsql({
  name: 'loopin_availability_notify_request',
  args: '',
  returns: 'trigger',
  body: `
BEGIN
  IF (TG_OP <> 'INSERT' AND OLD.status = '${WAITLISTED}') IS DISTINCT FROM (TG_OP <> 'DELETE' AND NEW.status = '${WAITLISTED}') THEN
    PERFORM pg_notify('${AVAILABILITY_CHANNEL}', (CASE WHEN TG_OP = 'DELETE' THEN OLD.event_id ELSE NEW.event_id END)::text);
  END IF;
  RETURN NULL;
END
`,
});
