import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'csv-parse/sync';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { AuditLog, PaymentTransaction, Payout, StaffReauth } from '../../src/models/index.js';
import { config, setConfig } from '../../src/config.js';
import { createAdjustment } from '../../src/modules/money/commands/adjustments.js';
import { createPayout } from '../../src/modules/money/commands/payouts.js';
import { REAUTH_MINUTES } from '../../src/admin/reauth.js';
import { staffAgent, type Agent } from '../admin/support.js';
import { buildAttendee, buildUser } from '../support/factories.js';
import type { AuthUser } from '../../src/models/index.js';
import { ctxOf, hostWithAccount, ledgerSum, moneyBack, pastEvent, payOrder } from './support.js';

const action = (agent: Agent, id: number, name: string, data: Record<string, string> = {}) =>
  agent.post(`/admin/api/resources/payout/records/${id}/${name}`).type('form').send(data);

describe('panel: payouts behind re-authentication, exports, settlement', () => {
  let agent: Agent;
  let staff: AuthUser;
  beforeAll(async () => {
    ({ agent, staff } = await staffAgent());
  });

  async function openPayout() {
    const host = await hostWithAccount();
    await payOrder(await pastEvent(host, 30, '700.00'), { fee: '35.00' });
    return createPayout(ctxOf(staff), { host: host.uuid, currency: 'INR' });
  }

  it('approval and completion ask for the password again; a proof lasts a few minutes, then expires', async () => {
    const payout = await openPayout();
    const refused = await action(agent, payout.id, 'approvePayout');
    expect(refused.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/Confirm your password/) });
    const wrong = await action(agent, payout.id, 'approvePayout', { password: 'not-it' });
    expect(wrong.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/not correct/) });
    expect((await Payout.findByPk(payout.id))!.status).toBe('pending');

    const ok = await action(agent, payout.id, 'approvePayout', { password: 'staff-password-1' });
    expect(ok.body.notice).toMatchObject({ type: 'success' });
    expect((await Payout.findByPk(payout.id))!.status).toBe('approved');
    expect(await StaffReauth.count({ where: { user_id: staff.id } })).toBe(1);
    expect(JSON.stringify(ok.body)).not.toContain('staff-password-1');

    // Within the window: no password needed.
    expect((await action(agent, payout.id, 'markProcessing', { reference: 'UTR-9' })).body.notice.type).toBe('success');
    clock.set(new Date(clock.now().getTime() + (REAUTH_MINUTES - 1) * MINUTE));
    expect((await action(agent, payout.id, 'completePayout')).body.notice).toMatchObject({ type: 'success' });
    expect((await Payout.findByPk(payout.id))!.status).toBe('completed');

    // Past the window: asked again.
    const other = await openPayout();
    clock.set(new Date(clock.now().getTime() + 2 * MINUTE));
    const expired = await action(agent, other.id, 'approvePayout');
    expect(expired.body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/Confirm your password/) });
    expect((await Payout.findByPk(other.id))!.status).toBe('pending');

    const proofs = await AuditLog.findAll({ where: { command: 'admin.reauth', actor_user_id: staff.id }, order: [['id', 'ASC']] });
    expect(proofs.map((a) => a.is_successful)).toEqual([false, false, true, false]);
    expect(JSON.stringify(proofs.map((p) => p.toJSON()))).not.toContain('staff-password-1');
  });

  it('the proof is bound to the session: another session of the same staff member is asked again', async () => {
    const payout = await openPayout();
    await action(agent, payout.id, 'approvePayout', { password: 'staff-password-1' });
    const second = await openPayout();
    const { agent: otherSession } = await staffAgent();
    const res = await action(otherSession, second.id, 'approvePayout');
    expect(res.body.notice.type).toBe('error');
  });

  it('a panel refund above REFUND_REAUTH_ABOVE asks for the password; a small one does not', async () => {
    const previous = config();
    setConfig({ ...previous, REFUND_REAUTH_ABOVE: '100.00' });
    try {
      const host = await hostWithAccount();
      const order = await payOrder(await pastEvent(host, 1, '500.00'));
      const refund = (data: Record<string, string>) =>
        agent.post(`/admin/api/resources/payment_order/records/${order.id}/refund`).type('form').send(data);
      expect((await refund({ amount: '50.00', reason: 'small' })).body.notice).toMatchObject({ type: 'success' });
      // A fresh session-less check: the proof from the payout test may still be fresh, so advance past it.
      clock.set(new Date(clock.now().getTime() + (REAUTH_MINUTES + 1) * MINUTE));
      expect((await refund({ amount: '200.00', reason: 'large' })).body.notice).toMatchObject({ type: 'error', message: expect.stringMatching(/Confirm your password/) });
      expect((await refund({ reason: 'rest', password: 'staff-password-1' })).body.notice).toMatchObject({ type: 'success' });
      expect(await PaymentTransaction.count({ where: { payment_order_id: order.id, transaction_type: 'refund' } })).toBe(2);
      expect(await ledgerSum(host.id, 'INR', ['refund'])).toBe(-50000);
    } finally {
      setConfig(previous);
    }
  });

  it('a GET on the actions renders only and changes nothing', async () => {
    const payout = await openPayout();
    const res = await agent.get(`/admin/api/resources/payout/records/${payout.id}/approvePayout`);
    expect(res.status).toBe(200);
    expect((await Payout.findByPk(payout.id))!.status).toBe('pending');
  });

  it('Export CSV streams the current filter of ledger entries, payouts, orders and attendees, formulas neutralised', async () => {
    const host = await hostWithAccount();
    const event = await pastEvent(host, 30, '250.00');
    const order = await payOrder(event, { fee: '12.50' });
    await moneyBack(order, '50.00');
    await createAdjustment(ctxOf(staff), { host: host.uuid, currency: 'INR', amount: '-1.00', reason: '=cmd|"/c calc"!A1' });
    const other = await hostWithAccount();
    await payOrder(await pastEvent(other, 30), { fee: '1.00' });

    const ledger = await agent.get(`/admin/api/resources/ledger_entry/actions/exportCsv?download=1&filters.host_id=${host.id}`);
    expect(ledger.status).toBe(200);
    expect(ledger.headers['content-type']).toMatch(/^text\/csv/);
    const rows = parse(ledger.text, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r.kind).sort()).toEqual(['adjustment', 'fee', 'refund', 'sale']);
    expect(new Set(rows.map((r) => r.host_id))).toEqual(new Set([String(host.id)]));
    expect(rows.find((r) => r.kind === 'adjustment')!.reason).toBe('\'=cmd|"/c calc"!A1');
    expect(rows.find((r) => r.kind === 'refund')!.amount).toBe('-50.00');

    const payout = await createPayout(ctxOf(staff), { host: host.uuid, currency: 'INR' });
    const payouts = parse((await agent.get(`/admin/api/resources/payout/actions/exportCsv?download=1&filters.status=pending&filters.host_id=${host.id}`)).text, { columns: true }) as Record<string, string>[];
    expect(payouts.map((p) => p.uuid)).toEqual([payout.uuid]);

    const orders = parse((await agent.get(`/admin/api/resources/payment_order/actions/exportCsv?download=1&filters.event_id=${event.id}`)).text, { columns: true }) as Record<string, string>[];
    expect(orders.map((o) => o.uuid)).toEqual([order.uuid]);

    await buildAttendee({ event, user: await buildUser(), paid: true });
    const attendees = parse((await agent.get(`/admin/api/resources/event_attendee/actions/exportCsv?download=1&filters.event_id=${event.id}`)).text, { columns: true }) as Record<string, string>[];
    expect(attendees).toHaveLength(1);

    // Without download=1 the action only renders its drawer (no file).
    const drawer = await agent.get('/admin/api/resources/ledger_entry/actions/exportCsv');
    expect(drawer.headers['content-type']).toMatch(/json/);
  });

  it('payout accounts show the last four digits only', async () => {
    const host = await hostWithAccount();
    const list = await agent.get(`/admin/api/resources/payout_account/actions/list?filters.user_id=${host.id}`);
    expect(list.status).toBe(200);
    const text = JSON.stringify(list.body);
    expect(text).toContain('9012');
    expect(text).not.toContain('123456789012');
    expect(text).not.toContain('ciphertext');
  });

  it('settlement report per event: gross, refunds, fees, net, paid out', async () => {
    const host = await hostWithAccount();
    const event = await pastEvent(host, 30, '400.00');
    const orders = [await payOrder(event, { fee: '20.00' }), await payOrder(event, { fee: '20.00' })];
    await moneyBack(orders[0]!, '100.00');
    await moneyBack(orders[1]!, '400.00', 'chargeback');
    const payout = await createPayout(ctxOf(staff), { host: host.uuid, currency: 'INR' });
    const res = await agent.get(`/admin/api/resources/ledger_entry/actions/settlement?event_id=${event.id}`);
    expect(res.status).toBe(200);
    expect(res.body.settlement).toEqual([expect.objectContaining({
      currency: 'INR', gross: '800.00', refunds: '100.00', chargebacks: '400.00', fees: '40.00', net: '260.00',
      paid_out: '0.00', in_payout: '260.00', unpaid: '0.00',
    })]);
    expect(payout.amount).toBe('260.00');
  });
});
