import { z } from '../../lib/zod.js';
import { NOTIFICATION_TYPES } from '../../models/index.js';
import { PageQuery, page } from '../../http/pagination.js';

export const NotificationParams = z.object({ uuid: z.string().max(100) });

export const NotificationListQuery = PageQuery.extend({
  unread: z.enum(['true', 'false']).optional().transform((v) => v === 'true')
    .openapi({ description: '`true`: only unread notifications' }),
});

export const NotificationOut = z.object({
  uuid: z.string().uuid(),
  type: z.enum(NOTIFICATION_TYPES),
  title: z.string(),
  message: z.string(),
  is_read: z.boolean(),
  reference: z.object({ type: z.string(), uuid: z.string().nullable() }).nullable()
    .openapi({ description: 'What the notification is about (type and public uuid when known)' }),
  sender: z.object({ uuid: z.string().uuid(), name: z.string().nullable() }).nullable(),
  metadata: z.record(z.string(), z.unknown()),
  created_at: z.string().openapi({ format: 'date-time' }),
}).openapi('Notification');

export const NotificationPage = page(NotificationOut).openapi('NotificationPage');
export const UnreadCount = z.object({ unread_count: z.number().int().min(0) }).openapi('UnreadCount');
export const ReadAllOut = z.object({ updated: z.number().int().min(0), unread_count: z.literal(0) }).openapi('ReadAllResult');

/** Staff broadcast input (AdminJS "Send notification"); the audience is an event's attendees or everyone. */
export const BroadcastInput = z.object({
  audience: z.union([z.literal('all'), z.object({ event: z.string().min(1).max(200) })]),
  type: z.enum(['promotional', 'system']),
  title: z.string().trim().min(1).max(200),
  message: z.string().trim().min(1).max(5000),
});
export type BroadcastInput = z.infer<typeof BroadcastInput>;
