import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildUser } from '../support/factories.js';
import { createContext } from '../../src/context.js';
import { config, setConfig } from '../../src/config.js';
import { withTransaction } from '../../src/db/transaction.js';
import { clock, MINUTE } from '../../src/lib/clock.js';
import { Notification } from '../../src/models/index.js';
import { notify, type NotificationInput } from '../../src/modules/notifications/writer.js';
import { deliverDueEmails } from '../../src/modules/notifications/commands/index.js';
import { MAX_EMAIL_ATTEMPTS, backoffMs } from '../../src/modules/notifications/outbox/deliver.js';
import { startSmtp } from './support.js';

const job = () => createContext({ source: 'job' });

/** What a command does: notify in its transaction (the outbox row commits with the change). */
async function notifyInCommand(...inputs: NotificationInput[]) {
  await withTransaction(job(), async (_tx, ctx) => notify(ctx, ...inputs));
}

let smtp: Awaited<ReturnType<typeof startSmtp>>;
beforeEach(async () => {
  clock.set(clock.now()); // frozen: retry times are exact
  smtp = await startSmtp();
});
afterEach(async () => {
  await smtp.close();
});

describe('email outbox', () => {
  it('delivers a payment receipt with the amount, the order reference, the event and the ticket QR', async () => {
    const buyer = await buildUser({ email: 'buyer@example.test', first_name: 'Meera', last_name: 'K' });
    const ticket = crypto.randomUUID();
    await notifyInCommand({
      recipientId: buyer.id, type: 'payment_success', title: 'Payment received', message: 'Thanks, your seat is confirmed.', email: true,
      metadata: { template: 'receipt', amount: '998.00', currency: 'INR', order_reference: 'LOOP-7731', event_title: 'Rooftop <Jazz>', ticket_uuid: ticket },
    });
    const n = await Notification.findOne({ where: { recipient_id: buyer.id } });
    expect(n).toMatchObject({ email_status: 'pending', email_attempts: 0 });

    expect(await deliverDueEmails(job(), { batchSize: 10 })).toMatchObject({ claimed: 1, sent: 1, retrying: 0 });
    expect(smtp.received).toHaveLength(1);
    const mail = smtp.received[0]!;
    expect(mail.to).toMatchObject({ text: 'buyer@example.test' });
    expect(mail.messageId).toBe(`<${n!.uuid}@loopin>`);
    expect(mail.subject).toBe('Receipt LOOP-7731 — Rooftop <Jazz>');
    expect(mail.text).toContain('Amount: INR 998.00');
    expect(mail.text).toContain('Order reference: LOOP-7731');
    expect(mail.text).toContain('Hi Meera K,');
    expect(mail.html).toContain('Rooftop &lt;Jazz&gt;');
    expect(mail.html).toContain('cid:ticket-qr');
    const qr = mail.attachments.find((a) => a.filename === 'ticket-qr.png');
    expect(qr?.contentType).toBe('image/png');
    expect(qr!.content.subarray(1, 4).toString()).toBe('PNG');
    expect(await n!.reload()).toMatchObject({ email_status: 'sent', email_attempts: 1, email_next_attempt_at: null });
    expect(n!.emailed_at).toBeInstanceOf(Date);
    // Nothing is due any more: a second run sends nothing.
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0, sent: 0 });
    expect(smtp.received).toHaveLength(1);
  });

  it('sends nothing for a command that rolled back, and only in-app for users without an email', async () => {
    const withAddress = await buildUser({ email: 'a@example.test' });
    const without = await buildUser({ email: null });
    await expect(withTransaction(job(), async (_tx, ctx) => {
      await notify(ctx, { recipientId: withAddress.id, type: 'system', title: 'Never', message: 'rolled back', email: true });
      throw new Error('command failed');
    })).rejects.toThrow('command failed');
    await notifyInCommand({ recipientId: without.id, type: 'event_cancelled', title: 'Cancelled', message: 'Sorry', email: true });
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0, without_address: 1, sent: 0 });
    expect(smtp.received).toHaveLength(0);
    expect(await Notification.findOne({ where: { recipient_id: without.id } })).toMatchObject({ email_status: 'none', email_next_attempt_at: null });
    expect(await Notification.count({ where: { recipient_id: withAddress.id } })).toBe(0);
  });

  it('an SMTP outage (server down, then refusing) and the recovery deliver every email exactly once', async () => {
    const users = await Promise.all(Array.from({ length: 6 }, (_, i) => buildUser({ email: `u${i}@example.test` })));
    await notifyInCommand(...users.map((u, i) => ({
      recipientId: u.id, type: 'reminder' as const, title: 'Tomorrow', message: `See you at 7 (${i})`, email: true,
      metadata: { event_title: 'Board games night' },
    })));

    await smtp.stop(); // connection refused
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 6, sent: 0, retrying: 6 });
    // Not due yet: the retry waits for its backoff.
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0 });

    await smtp.start();
    smtp.state.rejecting = true; // up, but answering 451 to every recipient
    clock.advance(backoffMs(1));
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 6, sent: 0, retrying: 6 });
    const failing = await Notification.findAll({ where: { recipient_id: users.map((u) => u.id) } });
    expect(failing.map((n) => [n.email_status, n.email_attempts])).toEqual(Array(6).fill(['pending', 2]));
    expect(failing[0]!.email_last_error).toMatch(/451|try again/i);
    expect(failing[0]!.email_next_attempt_at!.getTime()).toBe(clock.now().getTime() + backoffMs(2));

    smtp.state.rejecting = false;
    clock.advance(backoffMs(2));
    // Recovery, with three workers racing for the same due rows.
    const outcomes = await Promise.all([deliverDueEmails(job(), { batchSize: 4 }), deliverDueEmails(job(), { batchSize: 4 }), deliverDueEmails(job(), { batchSize: 4 })]);
    expect(outcomes.reduce((s, o) => s + o.sent, 0)).toBe(6);
    clock.advance(60 * MINUTE);
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0 });

    const ids = smtp.received.map((m) => m.messageId).sort();
    expect(ids).toHaveLength(6);
    expect(new Set(ids).size).toBe(6);
    expect(smtp.received.map((m) => m.subject)).toEqual(Array(6).fill('Reminder: Board games night'));
    const done = await Notification.findAll({ where: { recipient_id: users.map((u) => u.id) } });
    expect(done.map((n) => n.email_status)).toEqual(Array(6).fill('sent'));
  });

  it('gives up after the maximum attempts (the in-app notification stays)', async () => {
    const user = await buildUser({ email: 'gone@example.test' });
    await notifyInCommand({ recipientId: user.id, type: 'event_update', title: 'Moved', message: 'New venue', email: true });
    smtp.state.rejecting = true;
    for (let attempt = 1; attempt <= MAX_EMAIL_ATTEMPTS; attempt++) {
      expect((await deliverDueEmails(job())).claimed).toBe(1);
      clock.advance(backoffMs(attempt));
    }
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0 });
    expect(await Notification.findOne({ where: { recipient_id: user.id } })).toMatchObject({
      email_status: 'failed', email_attempts: MAX_EMAIL_ATTEMPTS, email_next_attempt_at: null, is_read: false,
    });
    expect(smtp.received).toHaveLength(0);
  });

  it('re-sends a claimed email whose worker died before marking it, once the claim lease expires', async () => {
    const user = await buildUser({ email: 'crash@example.test' });
    await notifyInCommand({ recipientId: user.id, type: 'system', title: 'Hi', message: 'Crash test', email: true });
    const n = (await Notification.findOne({ where: { recipient_id: user.id } }))!;
    // A worker claimed it (attempt 1, lease set) and died: simulate the claim's effect.
    await n.update({ email_attempts: 1, email_next_attempt_at: new Date(clock.now().getTime() + 10 * MINUTE) });
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 0 });
    clock.advance(10 * MINUTE);
    expect(await deliverDueEmails(job())).toMatchObject({ claimed: 1, sent: 1 });
    expect(await n.reload()).toMatchObject({ email_status: 'sent', email_attempts: 2 });
    expect(smtp.received.map((m) => m.messageId)).toEqual([`<${n.uuid}@loopin>`]);
  });

  it('logs instead of sending when SMTP_URL is unset, and counts the email as delivered', async () => {
    const user = await buildUser({ email: 'dev@example.test' });
    setConfig({ ...config(), SMTP_URL: undefined });
    await notifyInCommand({ recipientId: user.id, type: 'event_invite', title: 'Invite', message: 'Join us', email: true });
    expect(await deliverDueEmails(job())).toMatchObject({ sent: 1 });
    expect(smtp.received).toHaveLength(0);
    expect(await Notification.findOne({ where: { recipient_id: user.id } })).toMatchObject({ email_status: 'sent' });
  });
});
