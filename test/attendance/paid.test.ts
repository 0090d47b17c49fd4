import { describe, expect, it } from 'vitest';
import { bearer } from '../support/app.js';
import { agent, order, withPaymentConfig } from '../payments/helpers.js';
import { expectProblem, openPaidEvent } from './helpers.js';

withPaymentConfig();

/** A paid ticket made by payments' own fulfilment: a cash order marked paid by the host. */
async function paidTicket() {
  const event = await openPaidEvent({ max_capacity: 10 });
  const { row, buyer } = await order({ provider: 'cash', seats: 2, event });
  const paid = await (await agent()).post(`/api/payments/orders/${row.uuid}/mark-paid`).set('Authorization', await bearer(event.host!))
    .send({ reference: 'RCPT-1' });
  expect(paid.status, JSON.stringify(paid.body)).toBe(200);
  const mine = await (await agent()).get('/api/tickets').set('Authorization', await bearer(buyer));
  expect(mine.body.results).toHaveLength(1);
  return { event, buyer, order: row, ticket: mine.body.results[0] };
}

describe('paid tickets from payments', () => {
  it('a fulfilled order has a paid ticket that checks in by its code and then by nothing else', async () => {
    const { event, ticket } = await paidTicket();
    expect(ticket).toMatchObject({ payment_status: 'paid', status: 'going', seats: 2 });
    expect(ticket.ticket_secret).toMatch(/^[0-9A-HJKMNP-TV-Z]{32}$/);
    const host = await bearer(event.host!);
    const res = await (await agent()).post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ qr_payload: ticket.qr_payload });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expectProblem(await (await agent()).post(`/api/events/${event.uuid}/checkin`).set('Authorization', host).send({ ticket_secret: ticket.ticket_secret }), 409);
    const counts = await (await agent()).get(`/api/events/${event.uuid}/checkins`).set('Authorization', host);
    expect(counts.body).toEqual({ going: 2, checked_in: 2, checked_out: 0 });
  });

  it('a full refund voids the ticket at once: no code, no QR, refused at the door', async () => {
    const { event, buyer, order: row, ticket } = await paidTicket();
    const refund = await (await agent()).post(`/api/payments/orders/${row.uuid}/refund`).set('Authorization', await bearer(event.host!))
      .send({ reason: 'Cannot come' });
    expect(refund.status, JSON.stringify(refund.body)).toBe(200);
    const after = await (await agent()).get(`/api/tickets/${ticket.uuid}`).set('Authorization', await bearer(buyer));
    expect(after.body).toMatchObject({ ticket_secret: null, qr_payload: null });
    const res = await (await agent()).post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!))
      .send({ ticket_secret: ticket.ticket_secret });
    expectProblem(res, 409);
    const qr = await (await agent()).post(`/api/events/${event.uuid}/checkin`).set('Authorization', await bearer(event.host!))
      .send({ qr_payload: ticket.qr_payload });
    expectProblem(qr, 409);
  });
});
