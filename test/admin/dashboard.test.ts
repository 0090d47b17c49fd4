import { describe, expect, it } from 'vitest';
import { dashboardData } from '../../src/admin/dashboard.js';
import { DAY, HOUR } from '../../src/lib/clock.js';
import { PaymentOrder, PaymentWebhook } from '../../src/models/index.js';
import { buildAttendee, buildEvent, buildOrder, buildPaidEvent, buildRequest, buildUser } from '../support/factories.js';
import { superuserAgent } from './support.js';

describe('admin dashboard', () => {
  it('counts today, upcoming, pending, paid revenue, check-ins and failed webhooks', async () => {
    // Noon UTC today, so "today" cannot straddle midnight while the test runs.
    const now = new Date();
    now.setUTCHours(12, 0, 0, 0);
    const empty = await dashboardData(now);

    const host = await buildUser();
    await buildEvent({ host, start_time: new Date(now.getTime() + 2 * HOUR), status: 'published' });
    await buildEvent({ host, start_time: new Date(now.getTime() + 3 * DAY), status: 'published' });
    await buildEvent({ host, start_time: new Date(now.getTime() + 4 * DAY), status: 'draft' });
    const paid = await buildPaidEvent({ host, start_time: new Date(now.getTime() + 5 * DAY) });
    await buildRequest({ event: paid });
    await buildRequest({ event: paid });
    await buildRequest({ event: paid, status: 'declined' });

    await buildOrder({ event: paid, amount: '499.00', status: 'paid' });
    await buildOrder({ event: paid, amount: '250.50', status: 'completed' });
    await buildOrder({ event: paid, amount: '999.00', status: 'created' });
    const old = await buildOrder({ event: paid, amount: '100.00', status: 'paid' });
    await PaymentOrder.update({ created_at: new Date(now.getTime() - 10 * DAY) }, { where: { id: old.id }, silent: true });
    const ancient = await buildOrder({ event: paid, amount: '7.00', status: 'paid' });
    await PaymentOrder.update({ created_at: new Date(now.getTime() - 40 * DAY) }, { where: { id: ancient.id }, silent: true });

    const { record } = await buildAttendee({ event: paid });
    await record.update({ status: 'checked_in', checked_in_at: new Date(now.getTime() - HOUR) });

    await PaymentWebhook.create({ provider: 'stripe', provider_event_id: 'evt_ok', processed: true });
    await PaymentWebhook.create({ provider: 'stripe', provider_event_id: 'evt_pending', processed: false });
    await PaymentWebhook.create({ provider: 'razorpay', provider_event_id: 'evt_err', processed: true, processing_error: 'order not found' });

    const d = await dashboardData(now);
    expect(d.events_today - empty.events_today).toBe(1);
    expect(d.events_upcoming - empty.events_upcoming).toBe(3); // today's later one, +3 days, the paid one
    expect(d.pending_requests - empty.pending_requests).toBe(2);
    expect(d.revenue_today).toBe('749.50');
    expect(d.revenue_30d).toBe('849.50');
    expect(d.checkins_today - empty.checkins_today).toBe(1);
    expect(d.failed_webhooks - empty.failed_webhooks).toBe(2);

    expect(d.signups_per_day).toHaveLength(30);
    expect(d.signups_per_day.at(-1)!.day).toBe(now.toISOString().slice(0, 10));
    expect(d.requests_per_day.at(-1)!.value).toBe(3);
    expect(d.revenue_per_day.at(-1)!.value).toBeCloseTo(749.5);
    expect(d.revenue_per_day.find((p) => p.day === new Date(now.getTime() - 10 * DAY).toISOString().slice(0, 10))!.value).toBe(100);
    expect(d.revenue_per_day.reduce((s, p) => s + p.value, 0)).toBeCloseTo(849.5);
    expect(d.upcoming.map((e) => e.start_time)).toEqual([...d.upcoming.map((e) => e.start_time)].sort());
  });

  it('serves the numbers to signed-in staff through the AdminJS dashboard API only', async () => {
    const agent = await superuserAgent();
    const res = await agent.get('/admin/api/dashboard');
    expect(res.status).toBe(200);
    expect(res.body).toHaveProperty('pending_requests');
    expect(res.body.signups_per_day).toHaveLength(30);
    const { browserAgent } = await import('./support.js');
    expect((await (await browserAgent()).get('/admin/api/dashboard')).status).toBe(401);
  });
});
