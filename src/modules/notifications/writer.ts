import type { Context } from '../../context.js';
import { Notification } from '../../models/index.js';

export type NotificationType =
  | 'event_request' | 'event_invite' | 'event_update' | 'event_cancelled'
  | 'payment_success' | 'payment_failed' | 'reminder' | 'system' | 'promotional';

export interface NotificationInput {
  recipientId: number;
  senderId?: number | null;
  type: NotificationType;
  title: string;
  message: string;
  /** The object it is about; `uuid` (optional) is what clients see (`reference.uuid`), never the id. */
  reference?: { type: string; id: number; uuid?: string | null } | null;
  metadata?: Record<string, unknown>;
  /** Also deliver by email (through the outbox) when the recipient has an address. */
  email?: boolean;
}

/**
 * Inserts NOTIFICATION rows in the caller's transaction; email goes out after commit via the outbox:
 * `email: true` marks the row `pending` (due now) in this same transaction, and the deliver-emails
 * job sends it once the transaction has committed (a rolled-back command never emails).
 * The email template follows the type and metadata (see templates/index.ts): e.g. a receipt wants
 * `metadata: { template: 'receipt', amount, currency, order_reference, event_title, ticket_uuid }`.
 */
export async function notify(ctx: Context, ...inputs: NotificationInput[]): Promise<void> {
  if (!ctx.transaction) throw new Error('notify() must run inside the command transaction');
  if (inputs.length === 0) return;
  await Notification.bulkCreate(inputs.map((n) => notificationRow(ctx, n)), { transaction: ctx.transaction });
}

/**
 * The NOTIFICATION row notify() inserts — also what a command writing through one atomic SQL
 * function hands to it as JSON (created_at/updated_at then come from the column defaults).
 */
export function notificationRow(ctx: Context, n: NotificationInput) {
  return {
    recipient_id: n.recipientId,
    sender_id: n.senderId ?? null,
    type: n.type,
    title: n.title.slice(0, 200),
    message: n.message,
    reference_type: n.reference?.type ?? null,
    reference_id: n.reference?.id ?? null,
    metadata: n.reference?.uuid ? { ...(n.metadata ?? {}), reference_uuid: n.reference.uuid } : n.metadata ?? {},
    is_read: false,
    email_status: n.email ? ('pending' as const) : ('none' as const),
    email_next_attempt_at: n.email ? ctx.now() : null,
  };
}
