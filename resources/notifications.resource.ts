import { EMAIL_STATUSES, NOTIFICATION_TYPES, Notification } from '../src/models/index.js';
import { NAV, choices, jsonShow, newestFirst, shownOnly, type ResourceList, withOptions } from '../src/admin/resource-options.js';
import { notificationActions } from './actions/notifications.js';

/**
 * Notifications: the in-app feed and its email outbox, read-only. Staff send notifications only
 * through the "Send notification" action (broadcastNotification: audience rules, audit).
 */
export const notificationsResources: ResourceList = (make) => [
  withOptions(make(Notification, {
    readOnly: ['email_status', 'email_attempts', 'email_next_attempt_at', 'email_last_error', 'emailed_at'],
    }), {
    navigation: NAV.notifications,
    sort: newestFirst,
    listProperties: ['id', 'title', 'recipient_id', 'type', 'is_read', 'email_status', 'created_at'],
    filterProperties: ['recipient_id', 'sender_id', 'created_at'],
    properties: {
      title: { isTitle: true },
      type: choices(NOTIFICATION_TYPES),
      message: { type: 'textarea' },
      email_status: { ...choices(EMAIL_STATUSES), ...shownOnly },
      metadata: jsonShow,
    },
    actions: notificationActions,
  }),
];
