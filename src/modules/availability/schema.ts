import { z } from '../../lib/zod.js';

export { EventParams } from '../events/schema.js';

const Seats = z.number().int().min(0);

export const AvailabilityOut = z.object({
  max_capacity: Seats.openapi({ description: '0 = unlimited' }),
  going: Seats.openapi({ description: 'Seats taken by going (and checked-in) attendees' }),
  held: Seats.openapi({ description: 'Seats in live holds (accepted paid requests still paying)' }),
  available: Seats.nullable().openapi({ description: 'max_capacity − going − held, never below 0; null when unlimited' }),
  waitlisted: Seats.openapi({ description: 'Requests on the waitlist' }),
}).openapi('Availability');

export const AvailabilityStream = z.string().openapi({
  description: 'Server-Sent Events. On connect and on every change (made on any server): `event: availability` with '
    + '`data:` the Availability JSON. A `: heartbeat` comment at least every 20 s. Streams per server and per client '
    + '(IP when anonymous, else the user) are bounded: beyond, 429.',
  example: 'event: availability\ndata: {"max_capacity":50,"going":12,"held":2,"available":36,"waitlisted":0}\n\n',
});
