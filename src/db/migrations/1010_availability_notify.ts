import type { QueryInterface } from 'sequelize';
import notifyEvent from '../functions/loopin_availability_notify_event.js';
import notifyRequest from '../functions/loopin_availability_notify_request.js';
import notifyReservation from '../functions/loopin_availability_notify_reservation.js';

/*
 * Live availability (issue 16): triggers NOTIFY the event id on every change that alters an event's
 * figures (docs/decisions/1010-availability-stream.md). The trigger functions live in
 * src/db/functions and are re-applied after every migrate; they are created here from those files
 * because a trigger needs its function to exist, and the server must not run a moment without them.
 */
const TRIGGERS = `
CREATE TRIGGER event_availability_notify AFTER UPDATE ON event FOR EACH ROW
  WHEN (OLD.max_capacity IS DISTINCT FROM NEW.max_capacity OR OLD.going_count IS DISTINCT FROM NEW.going_count
        OR OLD.status IS DISTINCT FROM NEW.status OR OLD.is_public IS DISTINCT FROM NEW.is_public
        OR OLD.is_active IS DISTINCT FROM NEW.is_active)
  EXECUTE FUNCTION loopin_availability_notify_event();
CREATE TRIGGER event_availability_notify_delete AFTER DELETE ON event FOR EACH ROW
  EXECUTE FUNCTION loopin_availability_notify_event();
CREATE TRIGGER capacity_reservation_availability_notify AFTER INSERT OR UPDATE OR DELETE ON capacity_reservation FOR EACH ROW
  EXECUTE FUNCTION loopin_availability_notify_reservation();
CREATE TRIGGER event_request_availability_notify AFTER INSERT OR UPDATE OF status OR DELETE ON event_request FOR EACH ROW
  EXECUTE FUNCTION loopin_availability_notify_request();
`;

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.transaction(async (transaction) => {
    for (const f of [notifyEvent, notifyReservation, notifyRequest]) await context.sequelize.query(f.sql, { transaction });
    await context.sequelize.query(TRIGGERS, { transaction });
  });
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  await context.sequelize.query(`
    DROP TRIGGER IF EXISTS event_request_availability_notify ON event_request;
    DROP TRIGGER IF EXISTS capacity_reservation_availability_notify ON capacity_reservation;
    DROP TRIGGER IF EXISTS event_availability_notify_delete ON event;
    DROP TRIGGER IF EXISTS event_availability_notify ON event;
    DROP FUNCTION IF EXISTS loopin_availability_notify_request();
    DROP FUNCTION IF EXISTS loopin_availability_notify_reservation();
    DROP FUNCTION IF EXISTS loopin_availability_notify_event();`);
}
