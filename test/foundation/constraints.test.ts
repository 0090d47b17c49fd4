import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { QueryTypes } from 'sequelize';
import { testDb } from '../support/db.js';
import { Event } from '../../src/models/index.js';

/*
 * The database itself refuses bad rows: every row here is written with raw SQL (or a model with
 * validation switched off), so nothing but the schema stands between the row and the table.
 */

const CHECK = '23514';
const NOT_NULL = '23502';
const FOREIGN_KEY = '23503';
const UNIQUE = '23505';

type Row = Record<string, unknown>;
let counter = 0;
const next = () => ++counter;
const HOUR = 3_600_000;
const at = (hours: number) => new Date(Date.UTC(2031, 0, 1) + hours * HOUR);

function sqlValue(v: unknown): unknown {
  // JSON columns get their JSON text (replacements would expand arrays into lists).
  return v !== null && typeof v === 'object' && !(v instanceof Date) ? JSON.stringify(v) : v;
}

async function insert(table: string, values: Row): Promise<number> {
  const cols = Object.keys(values);
  const replacements = Object.fromEntries(cols.map((c) => [c, sqlValue(values[c])]));
  const [row] = await testDb().query<{ id: number }>(
    `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `:${c}`).join(', ')}) RETURNING *`,
    { replacements, type: QueryTypes.SELECT },
  );
  return row!.id;
}

function pgCode(err: unknown): string | undefined {
  const e = err as { parent?: { code?: string }; original?: { code?: string }; code?: string };
  return e.parent?.code ?? e.original?.code ?? e.code;
}

async function refused(code: string, work: () => Promise<unknown>, label = ''): Promise<void> {
  const outcome = await work().then(() => 'accepted', (err: unknown) => pgCode(err) ?? String(err));
  expect(outcome, label).toBe(code);
}

const refusedInsert = (code: string, table: string, values: Row) =>
  refused(code, () => insert(table, values), `${table} ${JSON.stringify(values)}`);

// Minimal valid rows; each test overrides one field to break one rule.
const rows = {
  user: (): Row => ({ username: `+9170000${String(next()).padStart(5, '0')}` }),
  event: (host_id: number): Row => ({
    host_id, slug: `event-${next()}`, title: 'Board games night', description: 'Bring your favourite game.',
    start_time: at(1), end_time: at(3),
  }),
  venue: (): Row => ({ name: 'The Hall' }),
  otp: (phone_number: string): Row => ({ phone_number, otp_code: 'hmac', expires_at: at(1) }),
  request: (event_id: number, requester_id: number): Row => ({ event_id, requester_id }),
  order: (event_id: number, user_id: number): Row => ({
    event_id, user_id, order_reference: `REF-${next()}`, order_id: `ord_${next()}`, amount: '499.00',
    payment_provider: 'stripe', expires_at: at(24),
  }),
  record: (event_id: number, user_id: number): Row => ({ event_id, user_id }),
  notification: (recipient_id: number): Row => ({ recipient_id, type: 'system', title: 'Hello', message: 'Hi there' }),
};

async function userAndEvent(): Promise<{ user: number; event: number }> {
  const user = await insert('auth_user', rows.user());
  return { user, event: await insert('event', rows.event(user)) };
}

describe('database constraints', () => {
  it('refuses values outside every ERD enum (CHECK)', async () => {
    const { user, event } = await userAndEvent();
    const cases: Array<[string, Row]> = [
      ['user_profile', { user_id: await insert('auth_user', rows.user()), gender: 'robot' }],
      ['user_phone_otp', { ...rows.otp('+919000000001'), otp_type: 'magic' }],
      ['user_phone_otp', { ...rows.otp('+919000000002'), status: 'lost' }],
      ['venue', { ...rows.venue(), venue_type: 'underwater' }],
      ['event', { ...rows.event(user), status: 'archived' }],
      ['event', { ...rows.event(user), allowed_genders: 'robots' }],
      ['event_request', { ...rows.request(event, user), status: 'maybe' }],
      ['event_invite', { event_id: event, invited_user_id: user, invite_type: 'pigeon' }],
      ['event_invite', { event_id: event, invited_user_id: user, status: 'thinking' }],
      ['event_attendee', { event_id: event, user_id: user, ticket_type: 'golden' }],
      ['event_attendee', { event_id: event, user_id: user, status: 'gone' }],
      ['attendance_record', { ...rows.record(event, await insert('auth_user', rows.user())), payment_status: 'owed' }],
      ['payment_order', { ...rows.order(event, user), currency: 'JPY' }],
      ['payment_order', { ...rows.order(event, user), status: 'lost' }],
      ['payment_order', { ...rows.order(event, user), payment_provider: 'bitcoin' }],
      ['payment_transaction', {
        payment_order_id: await insert('payment_order', rows.order(event, user)), transaction_type: 'gift', amount: '1.00',
      }],
      ['payment_webhook', { provider: 'bitcoin', provider_event_id: 'evt_1' }],
      ['notification', { ...rows.notification(user), type: 'spam' }],
      ['notification', { ...rows.notification(user), email_status: 'lost' }],
      // subject_digest: NOT NULL since migration 0510 (the writer computes it; the sealer hashes it).
      ['audit_log', { action: 'hack', subject_digest: 'd' }],
      ['audit_log', { action: 'login', severity: 'extreme', subject_digest: 'd' }],
      ['audit_log_summary', { date: '2031-01-01', action: 'hack' }],
      ['job_run', { name: 'sweep', status: 'sleeping' }],
    ];
    for (const [table, values] of cases) await refusedInsert(CHECK, table, values);

    // The same refusal through a model whose validation is switched off.
    await refused(CHECK, () =>
      Event.create({ ...rows.event(user), status: 'archived' } as never, { validate: false }));
  });

  it('refuses values outside the ERD ranges and lengths (CHECK)', async () => {
    const { user, event } = await userAndEvent();
    const order = await insert('payment_order', rows.order(event, user));
    const cases: Array<[string, Row]> = [
      ['venue', { ...rows.venue(), latitude: '90.000001', longitude: '0' }],
      ['venue', { ...rows.venue(), latitude: '0', longitude: '-180.5' }],
      ['venue', { ...rows.venue(), capacity: -1 }],
      ['venue', { name: '' }],
      ['event', { ...rows.event(user), title: 'ab' }],
      ['event', { ...rows.event(user), description: 'too short' }],
      ['event', { ...rows.event(user), max_capacity: -1 }],
      ['event', { ...rows.event(user), going_count: -1 }],
      ['event', { ...rows.event(user), requests_count: -1 }],
      ['event', { ...rows.event(user), max_capacity: 2, going_count: 3 }],
      ['event', { ...rows.event(user), is_paid: true, ticket_price: '0.00' }],
      ['event', { ...rows.event(user), is_paid: false, ticket_price: '10.00' }],
      ['event_image', { event_id: event, image_url: 'https://x.test/a.png', position: -1 }],
      ['event_request', { ...rows.request(event, user), seats_requested: 0 }],
      ['event_attendee', { event_id: event, user_id: user, seats: 0 }],
      ['capacity_reservation', { event_id: event, user_id: user, seats_reserved: 0, expires_at: at(1) }],
      ['attendance_record', { ...rows.record(event, user), seats: 0 }],
      ['user_phone_otp', { ...rows.otp('+919000000010'), attempts: 4 }],
      ['user_phone_otp', { ...rows.otp('+919000000011'), attempts: -1 }],
      ['user_profile', { user_id: await insert('auth_user', rows.user()), name: 'A' }],
      ['user_profile', { user_id: await insert('auth_user', rows.user()), bio: 'x'.repeat(501) }],
      ['payment_order', { ...rows.order(event, user), amount: '100.00', refund_amount: '100.01' }],
      ['audit_log_summary', { date: '2031-01-01', action: 'login', count: 3, successful_count: 1, failed_count: 1 }],
      ['audit_log_summary', { date: '2031-01-02', action: 'login', count: -1, successful_count: 0, failed_count: -1 }],
    ];
    for (const [table, values] of cases) await refusedInsert(CHECK, table, values);
    // A too-long string is refused by the column length (22001), not silently truncated.
    await refused('22001', () => insert('event', { ...rows.event(user), venue_text: 'v'.repeat(256) }));
    await refused('22001', () => insert('event', { ...rows.event(user), gst_number: 'g'.repeat(51) }));
    // Updates are held to the same rules as inserts.
    const otp = await insert('user_phone_otp', rows.otp('+919000000012'));
    await refused(CHECK, () => testDb().query(`UPDATE user_phone_otp SET attempts = 4 WHERE id = ${otp}`));
    await refused(CHECK, () => testDb().query(`UPDATE payment_order SET refund_amount = amount + 1 WHERE id = ${order}`));
    // The boundaries themselves are allowed.
    await insert('venue', { ...rows.venue(), latitude: '-90', longitude: '180', capacity: 0 });
    await insert('user_phone_otp', { ...rows.otp('+919000000013'), attempts: 3 });
  });

  it('refuses an event that ends at or before it starts', async () => {
    const user = await insert('auth_user', rows.user());
    await refusedInsert(CHECK, 'event', { ...rows.event(user), start_time: at(5), end_time: at(5) });
    await refusedInsert(CHECK, 'event', { ...rows.event(user), start_time: at(5), end_time: at(4) });
    expect(await insert('event', { ...rows.event(user), start_time: at(5), end_time: at(6) })).toBeGreaterThan(0);
  });

  it('refuses missing required values (NOT NULL)', async () => {
    const { user, event } = await userAndEvent();
    const cases: Array<[string, Row]> = [
      ['auth_user', { username: null }],
      ['event', { ...rows.event(user), title: null }],
      ['event', { ...rows.event(user), start_time: null }],
      ['event', { ...rows.event(user), host_id: null }],
      ['user_phone_otp', { ...rows.otp('+919000000020'), expires_at: null }],
      ['event_request', { event_id: event, requester_id: null }],
      ['payment_order', { ...rows.order(event, user), amount: null }],
      ['payment_order', { ...rows.order(event, user), expires_at: null }],
      ['payment_webhook', { provider: null }],
      ['notification', { ...rows.notification(user), recipient_id: null }],
      ['ticket_secret', { attendance_record_id: await insert('attendance_record', rows.record(event, user)), secret_hash: 'h', secret_salt: null }],
      ['capacity_reservation', { event_id: event, user_id: user, expires_at: null }],
      ['audit_log', { action: 'login' }], // no subject_digest: the sealer could not hash who acted
    ];
    for (const [table, values] of cases) await refusedInsert(NOT_NULL, table, values);
  });

  it('refuses dangling references and applies the chosen ON DELETE rule (FK)', async () => {
    const { user, event } = await userAndEvent();
    await refusedInsert(FOREIGN_KEY, 'event', rows.event(987_654_321));
    await refusedInsert(FOREIGN_KEY, 'event_request', rows.request(987_654_321, user));
    await refusedInsert(FOREIGN_KEY, 'payment_transaction', { payment_order_id: 987_654_321, transaction_type: 'payment', amount: '1.00' });

    // RESTRICT: a user who paid for an order cannot be erased from under it.
    const buyer = await insert('auth_user', rows.user());
    await insert('payment_order', rows.order(event, buyer));
    await refused(FOREIGN_KEY, () => testDb().query(`DELETE FROM auth_user WHERE id = ${buyer}`));

    // CASCADE: the profile and tokens go with their user. SET NULL: the audit row and the sent
    // notification stay, without the actor.
    const leaver = await insert('auth_user', rows.user());
    await insert('user_profile', { user_id: leaver });
    await insert('refresh_token', { user_id: leaver, family_id: randomUUID(), token_hash: `h${next()}`, expires_at: at(1) });
    const audit = await insert('audit_log', { action: 'login', actor_user_id: leaver, subject_digest: 'd' });
    const note = await insert('notification', { ...rows.notification(user), sender_id: leaver });
    await testDb().query(`DELETE FROM auth_user WHERE id = ${leaver}`);
    const [left] = await testDb().query<{ profiles: number; tokens: number; actor: number | null; sender: number | null }>(
      `SELECT (SELECT count(*)::int FROM user_profile WHERE user_id = ${leaver}) AS profiles,
              (SELECT count(*)::int FROM refresh_token WHERE user_id = ${leaver}) AS tokens,
              (SELECT actor_user_id FROM audit_log WHERE id = ${audit}) AS actor,
              (SELECT sender_id FROM notification WHERE id = ${note}) AS sender`,
      { type: QueryTypes.SELECT },
    );
    expect(left).toEqual({ profiles: 0, tokens: 0, actor: null, sender: null });

    // SET NULL: an event survives the deletion of its venue.
    const venue = await insert('venue', rows.venue());
    const placed = await insert('event', { ...rows.event(user), venue_id: venue });
    await testDb().query(`DELETE FROM venue WHERE id = ${venue}`);
    const [after] = await testDb().query<{ venue_id: number | null }>(
      `SELECT venue_id FROM event WHERE id = ${placed}`, { type: QueryTypes.SELECT });
    expect(after).toEqual({ venue_id: null });
  });

  it('refuses a second row where the ERD says "one per" (UNIQUE)', async () => {
    const { user, event } = await userAndEvent();
    const other = await insert('auth_user', { ...rows.user(), email: 'Ada@Example.com' });
    const phone = (await testDb().query<{ username: string }>(`SELECT username FROM auth_user WHERE id = ${user}`,
      { type: QueryTypes.SELECT }))[0]!.username;
    await refusedInsert(UNIQUE, 'auth_user', { username: phone });
    await refusedInsert(UNIQUE, 'auth_user', { ...rows.user(), email: 'ada@example.COM' });
    await insert('user_profile', { user_id: user });
    await refusedInsert(UNIQUE, 'user_profile', { user_id: user });
    const slug = `unique-${next()}`;
    await insert('event', { ...rows.event(user), slug });
    await refusedInsert(UNIQUE, 'event', { ...rows.event(user), slug });
    await insert('event_interest', { name: 'Music', slug: 'music' });
    await refusedInsert(UNIQUE, 'event_interest', { name: 'Music', slug: 'music-2' });
    await refusedInsert(UNIQUE, 'event_interest', { name: 'Music 2', slug: 'music' });
    await insert('event_invite', { event_id: event, invited_user_id: other });
    await refusedInsert(UNIQUE, 'event_invite', { event_id: event, invited_user_id: other });
    await insert('event_attendee', { event_id: event, user_id: other });
    await refusedInsert(UNIQUE, 'event_attendee', { event_id: event, user_id: other });
    const record = await insert('attendance_record', { ...rows.record(event, other), ticket_secret: 'lookup-1' });
    await refusedInsert(UNIQUE, 'attendance_record', rows.record(event, other));
    await refusedInsert(UNIQUE, 'attendance_record', { ...rows.record(event, user), ticket_secret: 'lookup-1' });
    await insert('ticket_secret', { attendance_record_id: record, secret_hash: 'h', secret_salt: 's' });
    await refusedInsert(UNIQUE, 'ticket_secret', { attendance_record_id: record, secret_hash: 'h2', secret_salt: 's2' });
    const order = rows.order(event, user);
    await insert('payment_order', order);
    await refusedInsert(UNIQUE, 'payment_order', { ...rows.order(event, user), order_id: order.order_id });
    await refusedInsert(UNIQUE, 'payment_order', { ...rows.order(event, user), order_reference: order.order_reference });
    await insert('payment_webhook', { provider: 'stripe', provider_event_id: 'evt_42' });
    await refusedInsert(UNIQUE, 'payment_webhook', { provider: 'stripe', provider_event_id: 'evt_42' });
    await insert('payment_webhook', { provider: 'razorpay', provider_event_id: 'evt_42' });
    const key = randomUUID();
    await insert('capacity_reservation', { event_id: event, user_id: user, reservation_key: key, expires_at: at(1) });
    await refusedInsert(UNIQUE, 'capacity_reservation', { event_id: event, user_id: user, reservation_key: key, expires_at: at(1) });
    // The daily summary is unique per (date, user, action) even when the user is NULL.
    await insert('audit_log_summary', { date: '2031-02-01', action: 'login' });
    await refusedInsert(UNIQUE, 'audit_log_summary', { date: '2031-02-01', action: 'login' });
  });

  it('allows one pending OTP per phone and one pending request per user and event (partial UNIQUE)', async () => {
    const phone = '+919000000099';
    const first = await insert('user_phone_otp', rows.otp(phone));
    await refusedInsert(UNIQUE, 'user_phone_otp', rows.otp(phone));
    await testDb().query(`UPDATE user_phone_otp SET status = 'expired' WHERE id = ${first}`);
    expect(await insert('user_phone_otp', rows.otp(phone))).toBeGreaterThan(0);

    const { event } = await userAndEvent();
    const requester = await insert('auth_user', rows.user());
    await insert('event_request', rows.request(event, requester));
    await refusedInsert(UNIQUE, 'event_request', rows.request(event, requester));
    // A decided request does not block a new pending one.
    expect(await insert('event_request', { ...rows.request(event, requester), status: 'declined' })).toBeGreaterThan(0);
    await testDb().query(`UPDATE event_request SET status = 'declined' WHERE event_id = ${event} AND status = 'pending'`);
    expect(await insert('event_request', rows.request(event, requester))).toBeGreaterThan(0);
  });

  it('refuses money below the minimum (amount ≥ 0.01, prices ≥ 0)', async () => {
    const { user, event } = await userAndEvent();
    await refusedInsert(CHECK, 'payment_order', { ...rows.order(event, user), amount: '0.00' });
    await refusedInsert(CHECK, 'payment_order', { ...rows.order(event, user), amount: '-5.00' });
    await refusedInsert(CHECK, 'payment_order', { ...rows.order(event, user), refund_amount: '-0.01' });
    const order = await insert('payment_order', { ...rows.order(event, user), amount: '0.01' });
    await refusedInsert(CHECK, 'payment_transaction', { payment_order_id: order, transaction_type: 'payment', amount: '0.00' });
    await refusedInsert(CHECK, 'event', { ...rows.event(user), is_paid: true, ticket_price: '-1.00' });
    await refusedInsert(CHECK, 'event_attendee', { event_id: event, user_id: user, price_paid: '-0.01' });
    await refusedInsert(CHECK, 'event_attendee', { event_id: event, user_id: user, platform_fee: '-0.01' });
    // Money is exact: DECIMAL(10,2) comes back as a string, never a float.
    const [row] = await testDb().query<{ amount: string }>(`SELECT amount FROM payment_order WHERE id = ${order}`,
      { type: QueryTypes.SELECT });
    expect(row).toEqual({ amount: '0.01' });
  });

  it('refuses JSON arrays of the wrong shape or length', async () => {
    const user = await insert('auth_user', rows.user());
    const urls = (n: number) => Array.from({ length: n }, (_, i) => `https://img.test/${i}.jpg`);
    await refusedInsert(CHECK, 'event', { ...rows.event(user), cover_images: urls(4) });
    await refusedInsert(CHECK, 'event', { ...rows.event(user), cover_images: { first: 'x' } });
    expect(await insert('event', { ...rows.event(user), cover_images: urls(3) })).toBeGreaterThan(0);
    await refusedInsert(CHECK, 'user_profile', { user_id: user, profile_pictures: urls(7) });
    await refusedInsert(CHECK, 'user_profile', { user_id: user, profile_pictures: JSON.stringify('not-an-array') });
    expect(await insert('user_profile', { user_id: user, profile_pictures: urls(6) })).toBeGreaterThan(0);
  });
});
