import { describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { buildEvent, buildInvite, buildOrder, buildPaidEvent, buildRequest, buildUser } from '../support/factories.js';
import { createContext, systemContext, type Context } from '../../src/context.js';
import { sequelize } from '../../src/db/connection.js';
import { withTransaction } from '../../src/db/transaction.js';
import { clock } from '../../src/lib/clock.js';
import { toMinor } from '../../src/lib/money.js';
import { AttendanceRecord, AuditLog, CapacityReservation, EventAttendee, TicketSecret, type Event } from '../../src/models/index.js';
import { ticketCodeFor, ticketLookupOf, ticketSecretMatches } from '../../src/modules/attendance/ticket-secret.js';
import { cancelAttendee, acceptInvite, acceptRequest, seatPaidHolder, unseatRefunded } from '../../src/modules/joining/commands/index.js';
import { recount } from './helpers.js';

const asUser = (id: number): Context => createContext({ source: 'api', actor: { id, uuid: `u${id}`, is_staff: false, is_superuser: false } });
const hostCtx = (event: Event) => asUser(event.host_id);

/** The ticket of (event, user) with its secret row; the record points at the secret by its lookup HMAC. */
async function ticketOf(eventId: number, userId: number) {
  const record = await AttendanceRecord.findOne({ where: { event_id: eventId, user_id: userId }, rejectOnEmpty: true });
  const secret = await TicketSecret.findOne({ where: { attendance_record_id: record.id }, rejectOnEmpty: true });
  return { record, secret };
}

function expectValidSecret(t: Awaited<ReturnType<typeof ticketOf>>) {
  const code = ticketCodeFor(t.secret.secret_salt);
  expect(ticketSecretMatches(code, t.secret)).toBe(true);
  expect(t.secret.secret_lookup).toBe(ticketLookupOf(code));
  expect(t.record.ticket_secret).toBe(t.secret.secret_lookup);
  expect(t.record.ticket_secret).not.toContain(code);
  expect(t.secret.is_redeemed).toBe(false);
}

const order = async (event: Event, userId: number, fee = '25.00') => {
  const o = await buildOrder({ event, user_id: userId } as never);
  return { id: o.id, pricePaidMinor: toMinor(event.ticket_price), platformFeeMinor: toMinor(fee) };
};

describe('one seating path', () => {
  it('a free request accept mints a ticket secret; the record keeps only its lookup HMAC', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const request = await buildRequest({ event });
    const { ticket } = await acceptRequest(hostCtx(event), { requestUuid: request.uuid });
    const t = await ticketOf(event.id, request.requester_id);
    expect(ticket!.id).toBe(t.record.id);
    expectValidSecret(t);
  });

  it('an invite accept seats through the same path: attendee, ticket and secret, audited', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const invitee = await buildUser();
    const invite = await buildInvite({ event, invitee });
    const { attendee, ticket } = await acceptInvite(asUser(invitee.id), { inviteUuid: invite.uuid });
    expect(attendee).toMatchObject({ status: 'going', seats: 1 });
    expect(ticket).toMatchObject({ status: 'going', payment_status: 'unpaid', attendee_id: attendee!.id });
    expectValidSecret(await ticketOf(event.id, invitee.id));
    expect(await AuditLog.count({ where: { command: 'joining.attendee.admit', object_id: attendee!.id } })).toBe(1);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1 });
  });

  it('a cancelled attendance seated again gets a fresh, unredeemed secret', async () => {
    const event = await buildEvent({ max_capacity: 5 });
    const first = await buildRequest({ event });
    const { attendee } = await acceptRequest(hostCtx(event), { requestUuid: first.uuid });
    const before = await ticketOf(event.id, first.requester_id);
    await sequelize().query('UPDATE ticket_secret SET is_redeemed = true, redeemed_at = now() WHERE id = :id', { replacements: { id: before.secret.id } });
    await cancelAttendee(asUser(first.requester_id), { attendeeUuid: attendee!.uuid });
    const again = await buildRequest({ event, requester: first.requester! });
    await acceptRequest(hostCtx(event), { requestUuid: again.uuid });
    const after = await ticketOf(event.id, first.requester_id);
    expect(after.record.id).toBe(before.record.id);
    expect(after.secret.id).toBe(before.secret.id);
    expect(after.secret.secret_salt).not.toBe(before.secret.secret_salt);
    expectValidSecret(after);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1 });
  });

  it('paid fulfilment consumes the live hold and seats the buyer as paid, inside the caller\'s transaction', async () => {
    const event = await buildPaidEvent({ max_capacity: 3 });
    const request = await buildRequest({ event });
    const { reservation } = await acceptRequest(hostCtx(event), { requestUuid: request.uuid });
    expect(await recount(event.id)).toMatchObject({ going_count: 0, held: 1 });
    const paidBy = await order(event, request.requester_id);
    const seated = await withTransaction(systemContext('webhook'), (_tx, ctx) => seatPaidHolder(ctx, { reservation: reservation!, order: paidBy }));
    expect(seated.attendee).toMatchObject({ status: 'going', is_paid: true, price_paid: '499.00', platform_fee: '25.00', request_id: request.id });
    expect(seated.ticket).toMatchObject({ status: 'going', payment_status: 'paid', payment_order_id: paidBy.id, attendee_id: seated.attendee.id });
    expect(seated.reservation.consumed).toBe(true);
    expectValidSecret(await ticketOf(event.id, request.requester_id));
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, going_records: 1, held: 0 });
    expect(await AuditLog.count({ where: { command: 'joining.reservation.consume', object_id: reservation!.id } })).toBe(1);
    expect(await AuditLog.findOne({ where: { command: 'joining.attendee.admit', object_id: seated.attendee.id } }))
      .toMatchObject({ new_values: { is_paid: true, price_paid: '499.00', payment_order_id: paidBy.id } });

    // Twice: the hold is no longer live; the caller's transaction stays usable for its refund.
    await withTransaction(systemContext('webhook'), async (tx, ctx) => {
      await expect(seatPaidHolder(ctx, { reservation: reservation!, order: paidBy })).rejects.toMatchObject({ status: 409, message: 'Reservation is already paid for' });
      const [alive] = await sequelize().query<{ ok: number }>('SELECT 1 AS ok', { transaction: tx, type: QueryTypes.SELECT });
      expect(alive!.ok).toBe(1);
    });

    // A full refund gives the seats back at once.
    await withTransaction(systemContext('webhook'), (_tx, ctx) => unseatRefunded(ctx, { attendeeId: seated.attendee.id }));
    expect(await ticketOf(event.id, request.requester_id)).toMatchObject({ record: { status: 'cancelled', payment_status: 'refunded' } });
    expect(await recount(event.id)).toMatchObject({ going_count: 0, going: 0, going_records: 0, held: 0 });
  });

  it('a late payment is honoured while seats are free, refused (nothing written) when they are not', async () => {
    const event = await buildPaidEvent({ max_capacity: 1 });
    const [late, later] = [await buildUser(), await buildUser()];
    const dead = (userId: number, over: Partial<{ released_at: Date }> = {}) => CapacityReservation.create({
      event_id: event.id, user_id: userId, seats_reserved: 1, consumed: false, expires_at: new Date(clock.now().getTime() - 1000), ...over,
    });
    const expired = await dead(late.id);
    const seated = await withTransaction(systemContext('webhook'), async (_tx, ctx) =>
      seatPaidHolder(ctx, { reservation: expired, order: await order(event, late.id) }));
    expect(seated.attendee).toMatchObject({ status: 'going', is_paid: true });
    expect(seated.reservation.consumed).toBe(true);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1, held: 0 });

    const released = await dead(later.id, { released_at: clock.now() });
    const paidBy = await order(event, later.id);
    await expect(withTransaction(systemContext('webhook'), (_tx, ctx) => seatPaidHolder(ctx, { reservation: released, order: paidBy })))
      .rejects.toMatchObject({ status: 409, message: 'Event is full' });
    expect(await EventAttendee.count({ where: { event_id: event.id, user_id: later.id } })).toBe(0);
    expect(await TicketSecret.count({ include: [{ model: AttendanceRecord, as: 'attendance_record', where: { user_id: later.id } }] })).toBe(0);
    expect((await released.reload()).consumed).toBe(false);
    expect(await recount(event.id)).toMatchObject({ going_count: 1, going: 1 });
  });

  it('fulfilments racing each other and new accepts on a full paid event never oversell', async () => {
    const event = await buildPaidEvent({ max_capacity: 3 });
    const holds: CapacityReservation[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await buildRequest({ event });
      holds.push((await acceptRequest(hostCtx(event), { requestUuid: r.uuid })).reservation!);
    }
    const waiting = await Promise.all(Array.from({ length: 5 }, () => buildRequest({ event })));
    const orders = await Promise.all(holds.map((h) => order(event, h.user_id)));
    const results = await Promise.allSettled([
      // each hold fulfilled twice at once (a duplicated provider delivery), plus five accepts on a full event
      ...holds.flatMap((h, i) => [0, 1].map(() =>
        withTransaction(systemContext('webhook'), (_tx, ctx) => seatPaidHolder(ctx, { reservation: h, order: orders[i]! })))),
      ...waiting.map((r) => acceptRequest(hostCtx(event), { requestUuid: r.uuid })),
    ]);
    const refusals = results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.message as string);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    expect(refusals.sort()).toEqual([...Array(5).fill('Event is full'), ...Array(3).fill('Reservation is already paid for')].sort());
    expect(await recount(event.id)).toMatchObject({ going_count: 3, going: 3, going_records: 3, held: 0, max_capacity: 3 });
    expect(await TicketSecret.count({ include: [{ model: AttendanceRecord, as: 'attendance_record', where: { event_id: event.id } }] })).toBe(3);
  });
});
