import { describe, expect, it } from 'vitest';
import { renderEmail, templateFor } from '../../src/modules/notifications/templates/index.js';
import type { NotificationType } from '../../src/models/index.js';

const n = (type: NotificationType, metadata: Record<string, unknown> = {}) => ({ type, title: 'Title', message: 'Body text', metadata });

describe('email templates', () => {
  it('are chosen by metadata.template, else by type (and decision for requests)', () => {
    expect(templateFor(n('event_request', { decision: 'accepted' }))).toBe('request_accepted');
    expect(templateFor(n('event_request', { decision: 'declined' }))).toBe('request_declined');
    expect(templateFor(n('event_request'))).toBe('generic');
    expect(templateFor(n('event_invite'))).toBe('invite');
    expect(templateFor(n('payment_success'))).toBe('receipt');
    expect(templateFor(n('payment_failed'))).toBe('payment_failed');
    expect(templateFor(n('event_update'))).toBe('event_updated');
    expect(templateFor(n('event_cancelled'))).toBe('event_cancelled');
    expect(templateFor(n('reminder'))).toBe('reminder');
    expect(templateFor(n('system', { template: 'reminder' }))).toBe('reminder');
    expect(templateFor(n('promotional', { template: 'no-such' }))).toBe('generic');
  });

  it('render text and escaped HTML with the event, host message and dates', async () => {
    const meta = { event_title: 'Poetry <b>slam</b>', starts_at: '2031-05-01T18:00:00Z', host_message: 'Bring a poem & a friend', expires_at: '2031-04-30' };
    const cases: [NotificationType, Record<string, unknown>, string][] = [
      ['event_request', { ...meta, decision: 'accepted' }, "You're in: Poetry <b>slam</b>"],
      ['event_request', { ...meta, decision: 'declined' }, 'Your request for Poetry <b>slam</b> was declined'],
      ['event_invite', meta, "You're invited to Poetry <b>slam</b>"],
      ['event_update', meta, 'Event updated: Poetry <b>slam</b>'],
      ['event_cancelled', meta, 'Event cancelled: Poetry <b>slam</b>'],
      ['reminder', meta, 'Reminder: Poetry <b>slam</b>'],
      ['payment_failed', { ...meta, amount: '250.5', order_reference: 'LOOP-1' }, 'Payment failed for Poetry <b>slam</b>'],
      ['system', {}, 'Title'],
    ];
    for (const [type, metadata, subject] of cases) {
      const mail = await renderEmail(n(type, metadata), 'Ravi');
      expect(mail.subject, type).toBe(subject);
      expect(mail.text).toContain('Hi Ravi,');
      expect(mail.text).toContain('Body text');
      expect(mail.html).not.toContain('<b>slam</b>');
    }
    const accepted = await renderEmail(n('event_request', { ...meta, decision: 'accepted' }), 'Ravi');
    expect(accepted.text).toContain('The host says: Bring a poem & a friend');
    expect(accepted.html).toContain('Bring a poem &amp; a friend');
    expect(accepted.text).toContain('Starts: 2031-05-01T18:00:00Z');
    expect((await renderEmail(n('event_invite', meta), 'Ravi')).text).toContain('Reply by: 2031-04-30');
    expect((await renderEmail(n('payment_failed', { amount: '250.5', order_reference: 'LOOP-1' }), '')).text)
      .toMatch(/Hi there,[\s\S]*Amount: INR 250\.50[\s\S]*Order reference: LOOP-1/);
  });

  it('attach the ticket QR to a receipt only when there is a ticket', async () => {
    const withTicket = await renderEmail(n('payment_success', { amount: '10.00', order_reference: 'R', ticket_uuid: crypto.randomUUID() }), 'A');
    expect(withTicket.attachments?.[0]).toMatchObject({ filename: 'ticket-qr.png', contentType: 'image/png', cid: 'ticket-qr' });
    const without = await renderEmail(n('payment_success', { amount: '10.00', order_reference: 'R' }), 'A');
    expect(without.attachments).toBeUndefined();
    expect(without.html).not.toContain('cid:');
  });
});
