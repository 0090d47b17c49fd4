import crypto from 'node:crypto';
import type { CreationAttributes } from 'sequelize';
import { clock, MINUTE, DAY } from '../../src/lib/clock.js';
import { hmac, sha256 } from '../../src/lib/crypto.js';
import {
  AttendanceOtp, AuditLogSummary, EventImage, JobRun, PaymentTransaction, PaymentWebhook, RefreshToken, TicketSecret,
  UserPhoneOtp, type AttendanceRecord, type AuthUser, type Event, type PaymentOrder,
} from '../../src/models/index.js';
import { buildAttendee, buildEvent, buildOrder, buildUser, phone } from './factories.js';

/** Factories for the remaining tables (secrets stored hashed, as the app stores them). */
export async function buildPhoneOtp(over: Partial<CreationAttributes<UserPhoneOtp>> = {}) {
  return UserPhoneOtp.create({
    phone_number: phone(), otp_code: hmac('test-key', '1234'), otp_type: 'signup', status: 'pending',
    expires_at: new Date(clock.now().getTime() + 10 * MINUTE), ...over,
  });
}

export async function buildRefreshToken(over: Partial<CreationAttributes<RefreshToken>> & { user?: AuthUser } = {}) {
  const { user, ...attrs } = over;
  return RefreshToken.create({
    user_id: (user ?? (await buildUser())).id, family_id: crypto.randomUUID(), token_hash: sha256(crypto.randomUUID()),
    expires_at: new Date(clock.now().getTime() + 30 * DAY), ...attrs,
  });
}

export async function buildImage(over: Partial<CreationAttributes<EventImage>> & { event?: Event } = {}) {
  const { event, ...attrs } = over;
  return EventImage.create({ event_id: (event ?? (await buildEvent())).id, image_url: 'https://img.example/g.jpg', position: 0, ...attrs });
}

async function record(r?: AttendanceRecord) {
  return r ?? (await buildAttendee()).record;
}

export async function buildTicketSecret(over: { record?: AttendanceRecord } = {}) {
  const salt = crypto.randomBytes(16).toString('hex');
  return TicketSecret.create({
    attendance_record_id: (await record(over.record)).id, secret_salt: salt, secret_hash: sha256(salt + crypto.randomUUID()),
  });
}

export async function buildAttendanceOtp(over: { record?: AttendanceRecord } = {}) {
  return AttendanceOtp.create({
    attendance_record_id: (await record(over.record)).id, otp_code: hmac('test-key', '4321'),
    expires_at: new Date(clock.now().getTime() + 5 * MINUTE),
  });
}

export async function buildTransaction(over: Partial<CreationAttributes<PaymentTransaction>> & { order?: PaymentOrder } = {}) {
  const { order, ...attrs } = over;
  const o = order ?? (await buildOrder());
  return PaymentTransaction.create({ payment_order_id: o.id, transaction_type: 'payment', amount: o.amount, status: 'completed', ...attrs });
}

export async function buildWebhook(over: Partial<CreationAttributes<PaymentWebhook>> = {}) {
  return PaymentWebhook.create({
    provider: 'stripe', provider_event_id: `evt_${crypto.randomBytes(6).toString('hex')}`, webhook_type: 'payment_intent.succeeded',
    payload: {}, processed: false, ...over,
  });
}

export async function buildAuditSummary(over: Partial<CreationAttributes<AuditLogSummary>> = {}) {
  return AuditLogSummary.create({ date: clock.now().toISOString().slice(0, 10), action: 'login', count: 3, successful_count: 2, failed_count: 1, ...over });
}

export async function buildJobRun(over: Partial<CreationAttributes<JobRun>> = {}) {
  return JobRun.create({ name: 'test-job', started_at: clock.now(), status: 'running', detail: {}, ...over });
}
