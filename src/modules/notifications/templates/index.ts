import { config } from '../../../config.js';
import { formatMoney, isMoney } from '../../../lib/money.js';
import type { Notification } from '../../../models/index.js';
import { layout, type Rendered } from './layout.js';

export type { Rendered } from './layout.js';

export const TEMPLATES = [
  'request_accepted', 'request_declined', 'invite', 'receipt', 'payment_failed', 'event_updated', 'event_cancelled',
  'reminder', 'waitlist_hold', 'generic',
] as const;
export type TemplateName = (typeof TEMPLATES)[number];

/** metadata.template wins; otherwise the notification type (and metadata.decision for requests) decides. */
export function templateFor(n: Pick<Notification, 'type' | 'metadata'>): TemplateName {
  const m = n.metadata ?? {};
  if (typeof m.template === 'string' && (TEMPLATES as readonly string[]).includes(m.template)) return m.template as TemplateName;
  switch (n.type) {
    case 'event_request': return m.decision === 'declined' ? 'request_declined' : m.decision === 'accepted' ? 'request_accepted' : 'generic';
    case 'event_invite': return 'invite';
    case 'payment_success': return 'receipt';
    case 'payment_failed': return 'payment_failed';
    case 'event_update': return 'event_updated';
    case 'event_cancelled': return 'event_cancelled';
    case 'reminder': return 'reminder';
    default: return 'generic';
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : typeof v === 'number' ? String(v) : null);
const baseUrl = () => (config().PUBLIC_URL ?? `http://localhost:${config().PORT}`).replace(/\/$/, '');

/** The email for one notification, from its title/message and the metadata its template reads. */
export async function renderEmail(n: Pick<Notification, 'type' | 'title' | 'message' | 'metadata'>, recipientName: string): Promise<Rendered> {
  const m = n.metadata ?? {};
  const event = str(m.event_title);
  const when = str(m.starts_at);
  const greeting = `Hi ${recipientName || 'there'},`;
  const eventFacts: [string, string][] = [...(event ? [['Event', event] as [string, string]] : []), ...(when ? [['Starts', when] as [string, string]] : [])];
  switch (templateFor(n)) {
    case 'request_accepted':
      return layout({ subject: `You're in${event ? `: ${event}` : ''}`, greeting, lines: [n.message, ...(str(m.host_message) ? [`The host says: ${str(m.host_message)}`] : [])], facts: eventFacts });
    case 'request_declined':
      return layout({ subject: `Your request${event ? ` for ${event}` : ''} was declined`, greeting, lines: [n.message, ...(str(m.host_message) ? [`The host says: ${str(m.host_message)}`] : [])], facts: eventFacts });
    case 'invite':
      return layout({ subject: `You're invited${event ? ` to ${event}` : ''}`, greeting, lines: [n.message], facts: [...eventFacts, ...(str(m.expires_at) ? [['Reply by', str(m.expires_at)!] as [string, string]] : [])] });
    case 'receipt':
      return receipt(n, greeting, eventFacts);
    case 'payment_failed':
      return layout({ subject: `Payment failed${event ? ` for ${event}` : ''}`, greeting, lines: [n.message], facts: [...eventFacts, ...orderFacts(m)] });
    case 'event_updated':
      return layout({ subject: `Event updated${event ? `: ${event}` : ''}`, greeting, lines: [n.message], facts: eventFacts });
    case 'event_cancelled':
      return layout({ subject: `Event cancelled${event ? `: ${event}` : ''}`, greeting, lines: [n.message], facts: eventFacts });
    case 'reminder':
      return layout({ subject: `Reminder${event ? `: ${event}` : ''}`, greeting, lines: [n.message], facts: eventFacts });
    case 'waitlist_hold':
      return layout({
        subject: `Your seat is held${str(m.held_until) ? ` until ${str(m.held_until)}` : ''}${event ? `: ${event}` : ''}`, greeting, lines: [n.message],
        facts: [...eventFacts, ...(str(m.held_until) ? [['Held until', str(m.held_until)!] as [string, string]] : [])],
      });
    default:
      return layout({ subject: n.title, greeting, lines: [n.message] });
  }
}

function orderFacts(m: Record<string, unknown>): [string, string][] {
  const amount = str(m.amount);
  const facts: [string, string][] = [];
  if (amount && isMoney(amount)) facts.push(['Amount', `${str(m.currency) ?? 'INR'} ${formatMoney(amount)}`]);
  if (str(m.order_reference)) facts.push(['Order reference', str(m.order_reference)!]);
  return facts;
}

/**
 * Payment receipt: amount, order reference, event, and the ticket as a QR code (PNG attached and
 * shown inline). The QR encodes a link to the ticket in the app, never the ticket secret: the
 * secret exists only hashed in the database, and an email is not the place to first reveal it.
 */
async function receipt(n: Pick<Notification, 'title' | 'message' | 'metadata'>, greeting: string, eventFacts: [string, string][]): Promise<Rendered> {
  const m = n.metadata ?? {};
  const ticket = str(m.ticket_uuid);
  const link = ticket ? `${baseUrl()}/tickets/${encodeURIComponent(ticket)}` : null;
  const qr = link ? await (await import('qrcode')).default.toBuffer(link, { type: 'png', width: 240, margin: 1 }) : null;
  return layout({
    subject: `Receipt${str(m.order_reference) ? ` ${str(m.order_reference)}` : ''}${str(m.event_title) ? ` — ${str(m.event_title)}` : ''}`,
    greeting,
    lines: [n.message, ...(link ? ['Show the attached QR code at the door, or open your ticket: ' + link] : [])],
    facts: [...orderFacts(m), ...eventFacts],
    htmlExtra: qr ? '<p><img src="cid:ticket-qr" alt="Ticket QR code" width="240" height="240"></p>' : undefined,
    attachments: qr ? [{ filename: 'ticket-qr.png', content: qr, contentType: 'image/png', cid: 'ticket-qr' }] : undefined,
  });
}
