import type { Sequelize } from 'sequelize';
import { AuthUser } from './AuthUser.js';
import { UserProfile } from './UserProfile.js';
import { UserPhoneOtp } from './UserPhoneOtp.js';
import { EventInterest } from './EventInterest.js';
import { UserProfileInterest } from './UserProfileInterest.js';
import { RefreshToken } from './RefreshToken.js';
import { Venue } from './Venue.js';
import { Event } from './Event.js';
import { EventInterestMap } from './EventInterestMap.js';
import { EventImage } from './EventImage.js';
import { EventRequest } from './EventRequest.js';
import { EventInvite } from './EventInvite.js';
import { EventAttendee } from './EventAttendee.js';
import { CapacityReservation } from './CapacityReservation.js';
import { AttendanceRecord } from './AttendanceRecord.js';
import { AttendanceOtp } from './AttendanceOtp.js';
import { TicketSecret } from './TicketSecret.js';
import { PaymentOrder } from './PaymentOrder.js';
import { PaymentTransaction } from './PaymentTransaction.js';
import { PaymentWebhook } from './PaymentWebhook.js';
import { Notification } from './Notification.js';
import { AuditLog } from './AuditLog.js';
import { AuditLogSummary } from './AuditLogSummary.js';
import { RateLimit } from './RateLimit.js';
import { JobRun } from './JobRun.js';
import { MediaUpload } from './MediaUpload.js';
import { WebhookEndpoint } from './WebhookEndpoint.js';
import { WebhookMessage } from './WebhookMessage.js';
import { WebhookDelivery } from './WebhookDelivery.js';
import { LedgerEntry } from './LedgerEntry.js';
import { Payout } from './Payout.js';
import { PayoutAccount } from './PayoutAccount.js';
import { StaffReauth } from './StaffReauth.js';

export {
  AuthUser, UserProfile, UserPhoneOtp, EventInterest, UserProfileInterest, RefreshToken,
  Venue, Event, EventInterestMap, EventImage, EventRequest, EventInvite, EventAttendee, CapacityReservation,
  AttendanceRecord, AttendanceOtp, TicketSecret, PaymentOrder, PaymentTransaction, PaymentWebhook,
  Notification, AuditLog, AuditLogSummary, RateLimit, JobRun,
  MediaUpload, WebhookEndpoint, WebhookMessage, WebhookDelivery, LedgerEntry, Payout, PayoutAccount, StaffReauth,
};
export { GENDERS, MAX_PROFILE_PICTURES, type Gender } from './UserProfile.js';
export { OTP_TYPES, OTP_STATUSES, OTP_MAX_ATTEMPTS, type OtpType, type OtpStatus } from './UserPhoneOtp.js';
export { VENUE_TYPES, type VenueType } from './Venue.js';
export { EVENT_STATUSES, ALLOWED_GENDERS, MAX_COVER_IMAGES, type EventStatus, type AllowedGenders } from './Event.js';
export { REQUEST_STATUSES, type RequestStatus } from './EventRequest.js';
export { INVITE_TYPES, INVITE_STATUSES, type InviteType, type InviteStatus } from './EventInvite.js';
export { TICKET_TYPES, ATTENDANCE_STATUSES, type TicketType, type AttendanceStatus } from './EventAttendee.js';
export { ATTENDANCE_PAYMENT_STATUSES, type AttendancePaymentStatus } from './AttendanceRecord.js';
export { ATTENDANCE_OTP_MAX_ATTEMPTS } from './AttendanceOtp.js';
export {
  CURRENCIES, PAYMENT_ORDER_STATUSES, PAYMENT_PROVIDERS, type Currency, type PaymentOrderStatus, type PaymentProvider,
} from './PaymentOrder.js';
export { TRANSACTION_TYPES, TRANSACTION_STATUSES, type TransactionType, type TransactionStatus } from './PaymentTransaction.js';
export { NOTIFICATION_TYPES, EMAIL_STATUSES, type NotificationType, type EmailStatus } from './Notification.js';
export { AUDIT_ACTIONS, AUDIT_SEVERITIES, type AuditAction, type AuditSeverity } from './AuditLog.js';
export { JOB_RUN_STATUSES, type JobRunStatus } from './JobRun.js';
export { UPLOAD_CONTENT_TYPES, type UploadContentType } from './MediaUpload.js';
export { HOST_EVENT_TYPES, type HostEventType } from './WebhookEndpoint.js';
export { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './WebhookDelivery.js';
export { LEDGER_KINDS, type LedgerKind } from './LedgerEntry.js';
export { PAYOUT_STATUSES, OPEN_PAYOUT_STATUSES, type PayoutStatus } from './Payout.js';

const MODELS = [
  AuthUser, UserProfile, UserPhoneOtp, EventInterest, UserProfileInterest, RefreshToken,
  Venue, Event, EventInterestMap, EventImage, EventRequest, EventInvite, EventAttendee, CapacityReservation,
  AttendanceRecord, AttendanceOtp, TicketSecret, PaymentOrder, PaymentTransaction, PaymentWebhook,
  Notification, AuditLog, AuditLogSummary, RateLimit, JobRun,
  MediaUpload, WebhookEndpoint, WebhookMessage, WebhookDelivery, LedgerEntry, Payout, PayoutAccount, StaffReauth,
] as const;

/** Initialise every model on `sequelize`, then wire the associations (the only place they live). */
export function initModels(sequelize: Sequelize): void {
  for (const model of MODELS) model.initModel(sequelize);
  associateUsers();
  associateEvents();
  associateJoining();
  associateAttendance();
  associatePayments();
  associateNotificationsAndAudit();
  associateMediaAndWebhooks();
  associateMoney();
}

function associateUsers(): void {
  AuthUser.hasOne(UserProfile, { as: 'profile', foreignKey: 'user_id' });
  UserProfile.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  UserProfile.belongsToMany(EventInterest, {
    through: UserProfileInterest, as: 'interests', foreignKey: 'profile_id', otherKey: 'eventinterest_id',
  });
  EventInterest.belongsToMany(UserProfile, {
    through: UserProfileInterest, as: 'profiles', foreignKey: 'eventinterest_id', otherKey: 'profile_id',
  });
  AuthUser.hasMany(RefreshToken, { as: 'refresh_tokens', foreignKey: 'user_id' });
  RefreshToken.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
}

function associateEvents(): void {
  Venue.belongsTo(AuthUser, { as: 'created_by', foreignKey: 'created_by_id' });
  Venue.hasMany(Event, { as: 'events', foreignKey: 'venue_id' });
  AuthUser.hasMany(Event, { as: 'hosted_events', foreignKey: 'host_id' });
  Event.belongsTo(AuthUser, { as: 'host', foreignKey: 'host_id' });
  Event.belongsTo(Venue, { as: 'venue', foreignKey: 'venue_id' });
  Event.belongsToMany(EventInterest, {
    through: EventInterestMap, as: 'interests', foreignKey: 'event_id', otherKey: 'eventinterest_id',
  });
  EventInterest.belongsToMany(Event, {
    through: EventInterestMap, as: 'events', foreignKey: 'eventinterest_id', otherKey: 'event_id',
  });
  // Direct access to the join rows, for "events having interest X" filters.
  Event.hasMany(EventInterestMap, { as: 'interest_links', foreignKey: 'event_id' });
  EventInterestMap.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  EventInterestMap.belongsTo(EventInterest, { as: 'interest', foreignKey: 'eventinterest_id' });
  Event.hasMany(EventImage, { as: 'images', foreignKey: 'event_id' });
  EventImage.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
}

function associateJoining(): void {
  Event.hasMany(EventRequest, { as: 'requests', foreignKey: 'event_id' });
  EventRequest.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  EventRequest.belongsTo(AuthUser, { as: 'requester', foreignKey: 'requester_id' });

  Event.hasMany(EventInvite, { as: 'invites', foreignKey: 'event_id' });
  EventInvite.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  EventInvite.belongsTo(AuthUser, { as: 'host', foreignKey: 'host_id' });
  EventInvite.belongsTo(AuthUser, { as: 'invited_user', foreignKey: 'invited_user_id' });

  Event.hasMany(EventAttendee, { as: 'attendees', foreignKey: 'event_id' });
  EventAttendee.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  EventAttendee.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  EventAttendee.belongsTo(EventRequest, { as: 'request', foreignKey: 'request_id' });

  Event.hasMany(CapacityReservation, { as: 'reservations', foreignKey: 'event_id' });
  CapacityReservation.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  CapacityReservation.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  CapacityReservation.belongsTo(EventRequest, { as: 'request', foreignKey: 'request_id' });
  CapacityReservation.belongsTo(EventInvite, { as: 'invite', foreignKey: 'invite_id' });
}

function associateAttendance(): void {
  Event.hasMany(AttendanceRecord, { as: 'attendance_records', foreignKey: 'event_id' });
  AttendanceRecord.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  AttendanceRecord.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  AttendanceRecord.belongsTo(EventAttendee, { as: 'attendee', foreignKey: 'attendee_id' });
  AttendanceRecord.belongsTo(PaymentOrder, { as: 'order', foreignKey: 'payment_order_id' });
  AttendanceRecord.hasOne(TicketSecret, { as: 'secret', foreignKey: 'attendance_record_id' });
  TicketSecret.belongsTo(AttendanceRecord, { as: 'attendance_record', foreignKey: 'attendance_record_id' });
  AttendanceRecord.hasMany(AttendanceOtp, { as: 'otps', foreignKey: 'attendance_record_id' });
  AttendanceOtp.belongsTo(AttendanceRecord, { as: 'attendance_record', foreignKey: 'attendance_record_id' });
}

function associatePayments(): void {
  PaymentOrder.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  PaymentOrder.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  PaymentOrder.belongsTo(CapacityReservation, { as: 'reservation', foreignKey: 'reservation_id' });
  PaymentOrder.hasMany(PaymentTransaction, { as: 'transactions', foreignKey: 'payment_order_id' });
  PaymentTransaction.belongsTo(PaymentOrder, { as: 'order', foreignKey: 'payment_order_id' });
  PaymentOrder.hasMany(PaymentWebhook, { as: 'webhooks', foreignKey: 'payment_order_id' });
  PaymentWebhook.belongsTo(PaymentOrder, { as: 'order', foreignKey: 'payment_order_id' });
}

function associateNotificationsAndAudit(): void {
  AuthUser.hasMany(Notification, { as: 'notifications', foreignKey: 'recipient_id' });
  Notification.belongsTo(AuthUser, { as: 'recipient', foreignKey: 'recipient_id' });
  Notification.belongsTo(AuthUser, { as: 'sender', foreignKey: 'sender_id' });
  AuditLog.belongsTo(AuthUser, { as: 'actor', foreignKey: 'actor_user_id' });
  AuditLog.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
  AuditLogSummary.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
}

function associateMediaAndWebhooks(): void {
  MediaUpload.belongsTo(AuthUser, { as: 'owner', foreignKey: 'owner_id' });
  WebhookEndpoint.belongsTo(AuthUser, { as: 'host', foreignKey: 'host_id' });
  WebhookEndpoint.hasMany(WebhookDelivery, { as: 'deliveries', foreignKey: 'endpoint_id' });
  WebhookDelivery.belongsTo(WebhookEndpoint, { as: 'endpoint', foreignKey: 'endpoint_id' });
  WebhookDelivery.belongsTo(WebhookMessage, { as: 'message', foreignKey: 'message_id' });
  WebhookMessage.hasMany(WebhookDelivery, { as: 'deliveries', foreignKey: 'message_id' });
  WebhookMessage.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
}

function associateMoney(): void {
  LedgerEntry.belongsTo(AuthUser, { as: 'host', foreignKey: 'host_id' });
  LedgerEntry.belongsTo(Event, { as: 'event', foreignKey: 'event_id' });
  LedgerEntry.belongsTo(PaymentOrder, { as: 'order', foreignKey: 'payment_order_id' });
  LedgerEntry.belongsTo(Payout, { as: 'payout', foreignKey: 'payout_id' });
  Payout.belongsTo(AuthUser, { as: 'host', foreignKey: 'host_id' });
  PayoutAccount.belongsTo(AuthUser, { as: 'user', foreignKey: 'user_id' });
}
