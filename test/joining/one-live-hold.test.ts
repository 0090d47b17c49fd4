import { describe, expect, it } from 'vitest';
import { Op } from 'sequelize';
import { createContext, type Actor } from '../../src/context.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { CapacityReservation, type AuthUser } from '../../src/models/index.js';
import { acceptInvite } from '../../src/modules/joining/commands/invites.js';
import { acceptRequest } from '../../src/modules/joining/commands/requests.js';
import { buildInvite, buildPaidEvent, buildRequest, buildUser } from '../support/factories.js';

const as = (u: AuthUser) => createContext({ source: 'api', actor: { id: u.id, uuid: u.uuid, is_staff: false, is_superuser: false } as Actor });
const liveHolds = (eventId: number, userId: number) => CapacityReservation.count({
  where: { event_id: eventId, user_id: userId, consumed: false, released_at: null, expires_at: { [Op.gt]: clock.now() } },
});

describe('a person holds seats once per event', () => {
  it('lets only one of a racing request accept and invite accept hold seats (10 rounds)', async () => {
    for (let round = 0; round < 10; round++) {
      const event = await buildPaidEvent({ max_capacity: 10 });
      const guest = await buildUser();
      const request = await buildRequest({ event, requester: guest });
      const invite = await buildInvite({ event, invitee: guest });
      const outcomes = await Promise.allSettled([
        acceptRequest(as(event.host), { requestUuid: request.uuid }),
        acceptInvite(as(guest), { inviteUuid: invite.uuid }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason.status).toBe(409);
      expect(await liveHolds(event.id, guest.id)).toBe(1);
    }
  });

  it('gives a new hold once the old one expired, without waiting for the sweeper', async () => {
    const event = await buildPaidEvent({ max_capacity: 10 });
    const guest = await buildUser();
    const first = await buildRequest({ event, requester: guest });
    await acceptRequest(as(event.host), { requestUuid: first.uuid });
    clock.advance(16 * MINUTE);
    const invite = await buildInvite({ event, invitee: guest, expires_at: new Date(clock.now().getTime() + 60 * MINUTE) });
    const { reservation } = await acceptInvite(as(guest), { inviteUuid: invite.uuid });
    expect(reservation?.seats_reserved).toBe(1);
    expect(await liveHolds(event.id, guest.id)).toBe(1);
    expect(await CapacityReservation.count({ where: { event_id: event.id, user_id: guest.id, released_at: { [Op.ne]: null } } })).toBe(1);
  });
});
