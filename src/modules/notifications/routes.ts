import { Router } from 'express';
import { endpoint } from '../../http/endpoint.js';
import { toPage } from '../../http/pagination.js';
import { countUnread, listNotifications, markAllRead, markRead } from './commands/index.js';
import { presentNotification } from './presenter.js';
import { NotificationListQuery, NotificationOut, NotificationPage, NotificationParams, ReadAllOut, UnreadCount } from './schema.js';

/** The notifications API: the caller's own inbox only. */
export const router = Router();
const tags = ['Notifications'];

endpoint(router, {
  method: 'get', path: '/notifications', tags, auth: 'required',
  summary: 'My notifications, newest first (`unread=true` for unread only); the unread count is GET /notifications/unread-count',
  query: NotificationListQuery, response: NotificationPage,
  handler: async ({ ctx, query }) => {
    const { rows, cursorOf } = await listNotifications(ctx, { unread: query.unread, cursor: query.cursor, pageSize: query.page_size });
    return toPage(rows, query.page_size, presentNotification, cursorOf);
  },
});

endpoint(router, {
  method: 'get', path: '/notifications/unread-count', tags, auth: 'required',
  summary: 'How many of my notifications are unread (for a badge)',
  response: UnreadCount,
  handler: async ({ ctx }) => ({ unread_count: await countUnread(ctx) }),
});

endpoint(router, {
  method: 'post', path: '/notifications/read-all', tags, auth: 'required',
  summary: 'Mark all my notifications read; `updated` is how many were unread',
  response: ReadAllOut,
  handler: async ({ ctx }) => ({ ...(await markAllRead(ctx)), unread_count: 0 as const }),
});

endpoint(router, {
  method: 'post', path: '/notifications/{uuid}/read', tags, auth: 'required',
  summary: 'Mark one of my notifications read (idempotent); someone else\'s is 404',
  params: NotificationParams, response: NotificationOut, errors: [404],
  handler: async ({ ctx, params }) => presentNotification(await markRead(ctx, params.uuid)),
});
