import crypto from 'node:crypto';
import { clock, DAY } from '../../src/lib/clock.js';
import { hashPassword } from '../../src/lib/password.js';
import {
  AttendanceOtp, AuditLogSummary, EventImage, EventInvite, JobRun, PaymentTransaction, PaymentWebhook, RefreshToken,
  Payout, PayoutAccount, TicketSecret, UserPhoneOtp, UserProfile, UserProfileInterest, MediaUpload, WebhookDelivery, WebhookEndpoint, WebhookMessage,
} from '../../src/models/index.js';
import { createContext } from '../../src/context.js';
import { sequelize } from '../../src/db/connection.js';
import { recordMoneyEvent } from '../../src/modules/money/ledger.js';
import {
  buildAttendee, buildNotification, buildOrder, buildPaidEvent, buildRequest, buildReservation, buildUser, buildVenue, interest, phone,
} from '../support/factories.js';

/** Secret columns by table, written down independently of the resource config it checks. */
export const SECRET_COLUMNS: Record<string, string[]> = {
  auth_user: ['password'],
  user_phone_otp: ['otp_code'],
  attendance_otp: ['otp_code'],
  ticket_secret: ['secret_hash', 'secret_salt', 'secret_lookup'],
  refresh_token: ['token_hash'],
  event_invite: ['token_hash'],
  attendance_record: ['ticket_secret'],
  webhook_endpoint: ['secret_encrypted'],
  payout_account: ['account_number_ciphertext', 'account_number_nonce', 'account_number_tag'],
};

const marker = () => `SECRET${crypto.randomBytes(6).toString('hex')}`;

/** At least one row in every table the panel shows, with a recognisable value in every secret column. */
export async function seedEveryTable(): Promise<{ secretValues: string[] }> {
  const values: string[] = [];
  const secret = () => {
    const v = marker();
    values.push(v);
    return v;
  };
  const passwordHash = await hashPassword(secret());
  values.push(passwordHash);
  const host = await buildUser({ password: passwordHash, email: `host${crypto.randomInt(1e6)}@loopin.test` });
  const venue = await buildVenue();
  const event = await buildPaidEvent({ host, venue_id: venue.id, max_capacity: 10 });
  const request = await buildRequest({ event });
  const { record, user } = await buildAttendee({ event, paid: true });
  await record.update({ ticket_secret: secret() });
  await TicketSecret.create({ attendance_record_id: record.id, secret_hash: secret(), secret_salt: secret(), secret_lookup: secret() });
  await AttendanceOtp.create({ attendance_record_id: record.id, otp_code: secret(), expires_at: new Date(clock.now().getTime() + DAY) });
  await UserPhoneOtp.create({ phone_number: phone(), otp_code: secret(), expires_at: new Date(clock.now().getTime() + DAY) });
  await RefreshToken.create({ user_id: user.id, family_id: crypto.randomUUID(), token_hash: secret(), expires_at: new Date(clock.now().getTime() + DAY) });
  await EventInvite.create({ event_id: event.id, host_id: host.id, invite_type: 'share_link', status: 'pending', token_hash: secret() });
  await EventImage.create({ event_id: event.id, image_url: 'https://img.example/1.jpg', position: 0 });
  const profile = await UserProfile.findOne({ where: { user_id: user.id } });
  await UserProfileInterest.create({ profile_id: profile!.id, eventinterest_id: (await interest('music')).id });
  const reservation = await buildReservation({ event, user: request.requester });
  const order = await buildOrder({ event, user: request.requester, reservation_id: reservation.id, status: 'paid' });
  await PaymentTransaction.create({ payment_order_id: order.id, transaction_type: 'payment', amount: order.amount, status: 'completed' });
  await PaymentWebhook.create({ payment_order_id: order.id, provider: 'stripe', provider_event_id: `evt_${marker()}`, webhook_type: 'payment_intent.succeeded', processed: false });
  await buildNotification({ recipient: user });
  await AuditLogSummary.create({ date: '2026-01-01', user_id: user.id, action: 'login', count: 2, successful_count: 1, failed_count: 1 });
  await JobRun.create({ name: 'sweep-rate-limits', status: 'succeeded', started_at: clock.now(), finished_at: clock.now() });
  await MediaUpload.create({
    owner_id: host.id, storage_key: `${crypto.randomUUID()}.png`, content_type: 'image/png', byte_size: 10, width: 2, height: 2, sha256: 'a'.repeat(64),
  });
  const endpoint = await WebhookEndpoint.create({ host_id: host.id, url: 'https://hooks.example/loopin', events: ['request.created'], secret_encrypted: secret() });
  const message = await WebhookMessage.create({ host_id: host.id, event_id: event.id, type: 'request.created', payload: { type: 'request.created' } });
  await WebhookDelivery.create({ endpoint_id: endpoint.id, message_id: message.id, deadline_at: new Date(clock.now().getTime() + DAY) });
  await sequelize().transaction((transaction) =>
    recordMoneyEvent({ ...createContext({ source: 'webhook' }), transaction }, { type: 'sale', order, fee: '10.00' }));
  await Payout.create({ host_id: host.id, amount: '10.00', currency: 'INR', status: 'pending' });
  await PayoutAccount.create({
    user_id: host.id, account_holder: 'Fixture Host', account_number_ciphertext: Buffer.from(secret()), account_number_nonce: crypto.randomBytes(12),
    account_number_tag: crypto.randomBytes(16), account_number_last4: '1234', key_id: 'fixture', ifsc: 'HDFC0001234',
  });
  return { secretValues: values };
}
