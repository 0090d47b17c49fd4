import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { config, setConfig, type Config } from '../../src/config.js';
import { createContext, type Actor, type Context, type Source } from '../../src/context.js';
import { clock, DAY, HOUR, MINUTE } from '../../src/lib/clock.js';
import { toMinor } from '../../src/lib/money.js';
import {
  AuthUser, Event, HOST_EVENT_TYPES, Payout, PayoutAccount, PaymentTransaction, UserProfile, Venue, WebhookEndpoint,
  type CapacityReservation, type PaymentOrder,
} from '../../src/models/index.js';
import { checkIn, checkOut, completePastEvents, ticketQrPayload } from '../../src/modules/attendance/commands/index.js';
import { sealAuditChain, summarizeAuditLog } from '../../src/modules/audit/commands/index.js';
import { settleSeal } from '../../src/modules/audit/seal-scheduler.js';
import { createEvent } from '../../src/modules/events/commands/create.js';
import { transitionEvent } from '../../src/modules/events/commands/transitions.js';
import { acceptRequest, cancelAttendee, createRequest, declineRequest, expireHolds } from '../../src/modules/joining/commands/index.js';
import { setPayoutAccount } from '../../src/modules/money/commands/account.js';
import { approvePayout, completePayout, createPayout, failPayout, markPayoutProcessing } from '../../src/modules/money/commands/payouts.js';
import {
  confirmRefund, expireOrders, failOrder, fulfilOrder, markPaid, placeOrder, refundOrder, type Fulfilment,
} from '../../src/modules/payments/commands/index.js';
import { amountMatches } from '../../src/modules/payments/commands/fulfil.js';
import { providerAdapter } from '../../src/modules/payments/providers/index.js';
import { createVenue } from '../../src/modules/venues/commands.js';
import { createEndpoint } from '../../src/modules/webhooks/commands.js';
import { deliverDueWebhooks } from '../../src/modules/webhooks/deliver.js';
import { eventPlans, GUESTS, HOSTS, ONLINE, PAYOUT_ACCOUNTS, VENUES, type EventPlan, type GuestPlan, type HostKey, type PersonPlan } from './plan.js';

/**
 * The steps of `npm run seed:demo`, each a named function over the same World, run in order by
 * seedDemo(). Every write goes through a domain command (audited, notified, booked like real
 * traffic); each step first looks for what it would make and leaves it alone when it is there.
 * The past is played with the app clock set back, so the commands date their rows as they happened;
 * only the created_at/updated_at columns Sequelize stamps itself say when the seeder ran.
 */
export interface World {
  log: (line: string) => void;
  /** The moment the run started: "now" of the story. */
  now: Date;
  staff: Actor;
  hosts: Record<HostKey, Actor>;
  guests: Actor[];
  venues: Map<string, string>;
  /** Things this run created (0 on a rerun: the housekeeping jobs are then left alone too). */
  created: number;
  /** The local receiver of the demo host's webhook endpoint, while this run delivers to it. */
  receiver?: { url: string; close: () => Promise<void> };
}

export type Step = (w: World) => Promise<void>;

const as = (actor: Actor | null, source: Source = 'seed'): Context => createContext({ source, actor });
const hashOf = (...parts: string[]) => crypto.createHash('sha256').update(parts.join('|')).digest('hex');

/**
 * The seeder is a local tool: every payment provider is enabled with demo webhook secrets where none
 * is configured, and API credentials are dropped, so no provider is ever called (refunds then wait
 * for staff, as without credentials). Without a configured platform fee a demo one applies, so the
 * ledger shows fees. The webhook endpoint points at a receiver on this machine, hence private URLs.
 */
export function demoConfig(cfg: Config): Config {
  const noFee = toMinor(cfg.PLATFORM_FEE_PERCENT) === 0 && toMinor(cfg.PLATFORM_FEE_FIXED) === 0;
  return {
    ...cfg,
    STRIPE_WEBHOOK_SECRET: cfg.STRIPE_WEBHOOK_SECRET ?? 'whsec_loopin_demo_only',
    RAZORPAY_WEBHOOK_SECRET: cfg.RAZORPAY_WEBHOOK_SECRET ?? 'loopin_demo_only',
    PAYPAL_WEBHOOK_ID: cfg.PAYPAL_WEBHOOK_ID ?? 'WH-LOOPIN-DEMO-ONLY',
    PAYTM_MERCHANT_KEY: cfg.PAYTM_MERCHANT_KEY ?? 'loopin_demo_key!',
    PHONEPE_SALT_KEY: cfg.PHONEPE_SALT_KEY ?? 'loopin-demo-only', PHONEPE_SALT_INDEX: cfg.PHONEPE_SALT_INDEX ?? '1',
    STRIPE_SECRET_KEY: undefined, RAZORPAY_KEY_ID: undefined, RAZORPAY_KEY_SECRET: undefined,
    PAYPAL_CLIENT_ID: undefined, PAYPAL_CLIENT_SECRET: undefined,
    ...(noFee ? { PLATFORM_FEE_PERCENT: '2.50', PLATFORM_FEE_FIXED: '10.00' } : {}),
    WEBHOOK_ALLOW_PRIVATE_URLS: true,
  };
}

async function person(p: PersonPlan, joined: Date): Promise<{ actor: Actor; made: boolean }> {
  const [user, made] = await AuthUser.findOrCreate({
    where: { username: p.phone },
    defaults: { username: p.phone, first_name: p.name.split(' ')[0]!, last_name: p.name.split(' ')[1] ?? '', date_joined: joined },
  });
  const [, profileMade] = await UserProfile.findOrCreate({
    where: { user_id: user.id },
    defaults: {
      user_id: user.id, name: p.name, phone_number: p.phone, gender: p.gender, is_verified: true,
      profile_pictures: [`https://picsum.photos/seed/${user.uuid}/400`],
    },
  });
  return { actor: { id: user.id, uuid: user.uuid, is_staff: false, is_superuser: false }, made: made || profileMade };
}

/** Hosts and guests (sign-up dates spread over the last weeks, so the dashboard's sign-up chart has a shape). */
export const seedPeople: Step = async (w) => {
  const people = [...Object.values(HOSTS), ...GUESTS];
  const actors: Actor[] = [];
  for (const [i, p] of people.entries()) {
    const { actor, made } = await person(p, new Date(w.now.getTime() - (people.length - i) * DAY + 9 * HOUR));
    if (made) w.created++;
    actors.push(actor);
  }
  const keys = Object.keys(HOSTS) as HostKey[];
  w.hosts = Object.fromEntries(keys.map((k, i) => [k, actors[i]!])) as Record<HostKey, Actor>;
  w.guests = actors.slice(keys.length);
};

export const seedVenues: Step = async (w) => {
  for (const v of VENUES) {
    let venue = await Venue.findOne({ where: { name: v.name } });
    if (!venue) {
      const { host, ...input } = v;
      venue = await createVenue(as(w.hosts[host], 'api'), input);
      w.created++;
    }
    w.venues.set(v.name, venue.uuid);
  }
};

/** Each host's bank account, through the host's own command (the number is sealed there). */
export const seedPayoutAccounts: Step = async (w) => {
  for (const [key, account] of Object.entries(PAYOUT_ACCOUNTS) as [HostKey, (typeof PAYOUT_ACCOUNTS)[HostKey]][]) {
    if (await PayoutAccount.count({ where: { user_id: w.hosts[key].id } })) continue;
    await setPayoutAccount(as(w.hosts[key], 'api'), account);
    w.created++;
  }
};

/**
 * Asha's webhook endpoint, subscribed to every host event, registered before her events happen so
 * they reach it. It points at a receiver started here on 127.0.0.1, so the demo never sends anything
 * off this machine; once the run is over the URL answers nothing and later deliveries fail visibly.
 */
export const seedWebhookEndpoint: Step = async (w) => {
  const host = w.hosts.asha;
  if (await WebhookEndpoint.count({ where: { host_id: host.id } })) return;
  w.receiver = await localReceiver();
  clock.set(new Date(w.now.getTime() - 30 * DAY));
  try {
    await createEndpoint(as(host, 'api'), { url: `${w.receiver.url}/hooks/loopin`, events: [...HOST_EVENT_TYPES] });
  } finally {
    clock.reset();
  }
  w.created++;
};

async function localReceiver(): Promise<NonNullable<World['receiver']>> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.writeHead(200, { 'content-type': 'text/plain' }).end('ok'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Every planned event, played from its creation to today, unless an event of that host and title exists. */
export const seedEvents: Step = async (w) => {
  for (const plan of eventPlans(config().BALANCE_HOLD_DAYS)) {
    const host = w.hosts[plan.host];
    if (await Event.count({ where: { host_id: host.id, title: plan.title } })) continue;
    try {
      await playEvent(w, plan);
    } finally {
      clock.reset();
    }
    w.created++;
    w.log(`event: ${plan.title}`);
  }
};

const startOf = (plan: EventPlan, now: Date): Date => {
  if ('minutesFromNow' in plan.when) return new Date(now.getTime() + plan.when.minutesFromNow * MINUTE);
  const midnight = Math.floor(now.getTime() / DAY) * DAY;
  return new Date(midnight + plan.when.days * DAY + plan.when.hourUtc * HOUR);
};

interface Seat { guest: GuestPlan; actor: Actor; ticketUuid?: string; order?: PaymentOrder }

async function playEvent(w: World, plan: EventPlan): Promise<void> {
  const hostCtx = as(w.hosts[plan.host], 'api');
  const start = startOf(plan, w.now);
  const end = new Date(start.getTime() + plan.hours * HOUR);
  const upcoming = start > w.now;
  // Requests arrive a few days before (past and live events) or since yesterday (upcoming ones).
  const requestsAt = upcoming ? new Date(w.now.getTime() - DAY) : new Date(start.getTime() - 6 * DAY);

  clock.set(new Date(requestsAt.getTime() - DAY));
  const event = await createEvent(hostCtx, {
    title: plan.title,
    description: `${plan.blurb} — a Loopin demo event. Come as you are, meet new people.`,
    start_time: start, end_time: end,
    ...(plan.venue ? { venue: w.venues.get(plan.venue)! } : { venue_text: plan.venue_text }),
    max_capacity: plan.cap, is_paid: !!plan.price, ticket_price: plan.price ?? '0.00', allow_plus_one: !!plan.plusOne,
    allowed_genders: 'all', cover_images: [`https://picsum.photos/seed/${hashOf(plan.title).slice(0, 12)}/1200/600`],
    event_interests: plan.interests, is_public: true,
  });
  await transitionEvent(hostCtx, event.uuid, 'publish');

  clock.set(requestsAt);
  const requests = new Map<GuestPlan, string>();
  for (const g of plan.guests) {
    clock.advance(7 * MINUTE);
    if (g.outcome === 'holding' || g.outcome === 'awaiting') continue;
    const request = await createRequest(as(w.guests[g.guest]!, 'api'), { eventRef: event.uuid, message: 'Would love to join!', seatsRequested: g.seats });
    requests.set(g, request.uuid);
  }

  clock.set(new Date(requestsAt.getTime() + 2 * HOUR));
  const seats: Seat[] = [];
  for (const g of plan.guests) {
    clock.advance(5 * MINUTE);
    const requestUuid = requests.get(g);
    if (!requestUuid || g.outcome === 'pending') continue;
    if (g.outcome === 'declined') {
      await declineRequest(hostCtx, { requestUuid, hostMessage: 'Sorry, this one is full of regulars.' });
      continue;
    }
    const accepted = await acceptRequest(hostCtx, { requestUuid, hostMessage: 'See you there!' });
    const seat: Seat = { guest: g, actor: w.guests[g.guest]! };
    if (accepted.ticket) seat.ticketUuid = accepted.ticket.uuid;
    else if (g.outcome !== 'hold_expires') await buy(w, plan, event, seat, accepted.reservation!);
    seats.push(seat);
  }

  await doors(w, hostCtx, event, seats, start, end);
  await refunds(w, hostCtx, seats, upcoming ? new Date(w.now.getTime() - 2 * HOUR) : new Date(end.getTime() + DAY));

  // The present: seats held right now, and offline orders waiting for their money.
  clock.reset();
  for (const g of plan.guests) {
    if (g.outcome !== 'holding' && g.outcome !== 'awaiting') continue;
    const guest = w.guests[g.guest]!;
    const request = await createRequest(as(guest, 'api'), { eventRef: event.uuid, message: 'Is there still room?', seatsRequested: g.seats });
    const accepted = await acceptRequest(hostCtx, { requestUuid: request.uuid, hostMessage: 'Yes! Your seat is held.' });
    if (g.outcome === 'awaiting') {
      await placeOrder(as(guest, 'api'), { eventRef: event.uuid, reservationKey: accepted.reservation!.reservation_key, provider: g.pay! });
    }
  }
}

/** The buyer orders with their provider; the money then arrives (or not) as that provider's path has it. */
async function buy(w: World, plan: EventPlan, event: Event, seat: Seat, hold: CapacityReservation): Promise<void> {
  const g = seat.guest;
  clock.advance(3 * MINUTE);
  const { order } = await placeOrder(as(seat.actor, 'api'), { eventRef: event.uuid, reservationKey: hold.reservation_key, provider: g.pay! });
  seat.order = order;
  clock.advance(2 * MINUTE);
  if (g.outcome === 'order_expires') return;
  if (g.outcome === 'failed') {
    // What a verified "payment failed" delivery does.
    await failOrder(as(null), order.id, { reason: 'Card declined by the issuing bank (insufficient funds)' });
    return;
  }
  const done = await confirmPayment(w, plan, seat.actor, order);
  if (done.outcome !== 'paid') throw new Error(`demo payment of ${order.order_reference} was not seated: ${done.outcome}`);
  seat.ticketUuid = done.ticket.uuid;
}

/**
 * Cash is confirmed by the host and bank transfers by staff (mark-paid); online providers through
 * fulfilOrder, as a verified webhook delivery reaches it: the same amount check and the same payment
 * fields, with ids in the provider's own shape (no PAYMENT_WEBHOOK row: no delivery arrived).
 */
async function confirmPayment(w: World, plan: EventPlan, buyer: Actor, order: PaymentOrder): Promise<Fulfilment> {
  const provider = order.payment_provider;
  const h = hashOf(plan.title, String(buyer.uuid), provider);
  if (providerAdapter(provider)?.offline) {
    const byHost = provider === 'cash';
    const reference = byHost ? `Receipt ${h.slice(0, 6).toUpperCase()}` : `NEFT N${parseInt(h.slice(0, 12), 16).toString().slice(0, 12)}`;
    return markPaid(byHost ? as(w.hosts[plan.host], 'api') : as(w.staff, 'admin'), { orderUuid: order.uuid, reference });
  }
  const style = ONLINE[provider]!;
  const amountMinor = toMinor(order.amount);
  const paymentId = style.paymentId(h);
  return fulfilOrder(as(null), order.id, {
    amountMinor, currency: order.currency, providerPaymentId: paymentId, reference: paymentId, paymentMethod: style.method,
    response: { webhook_id: null, event_type: style.eventType, provider_event_id: style.eventId(h) },
  }, (o) => amountMatches(o, amountMinor, order.currency));
}

/** The host's door: guests show their ticket QR from the app; a few leave early. */
async function doors(w: World, hostCtx: Context, event: Event, seats: Seat[], start: Date, end: Date): Promise<void> {
  const coming = seats.filter((s) => s.guest.checkIn && s.ticketUuid);
  for (const [i, s] of coming.entries()) {
    clock.set(new Date(start.getTime() + (10 + 4 * i) * MINUTE));
    const qr = await ticketQrPayload(as(s.actor, 'api'), s.ticketUuid!);
    await checkIn(hostCtx, event.uuid, { qr_payload: qr });
  }
  const leaveAt = new Date(Math.min(end.getTime() - 45 * MINUTE, w.now.getTime() - 5 * MINUTE));
  for (const s of coming.filter((c) => c.guest.checkOut)) {
    clock.set(leaveAt);
    await checkOut(hostCtx, event.uuid, s.ticketUuid!);
  }
}

/**
 * Refunds decided by the host; with no provider API in the demo each one waits for staff, who
 * confirm it executed (or leave it pending in the panel's refunds to execute).
 */
async function refunds(w: World, hostCtx: Context, seats: Seat[], at: Date): Promise<void> {
  for (const s of seats.filter((x) => x.guest.refund && x.ticketUuid)) {
    const plan = s.guest.refund!;
    clock.set(at);
    const { refund } = await refundOrder(hostCtx, { orderUuid: s.order!.uuid, amount: plan.amount, reason: plan.reason });
    await handedToStaff(refund.id);
    if (!plan.confirm) continue;
    clock.advance(3 * HOUR);
    const provider = s.order!.payment_provider;
    const reference = provider === 'stripe' ? `re_3${hashOf('refund', s.order!.uuid).slice(0, 23)}` : `RFND-${hashOf('refund', s.order!.uuid).slice(0, 10).toUpperCase()}`;
    await confirmRefund(as(w.staff, 'admin'), { refundId: refund.id, reference });
  }
}

/** The refund's after-commit execution (no provider API here) has handed it to staff. */
async function handedToStaff(refundId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const t = await PaymentTransaction.findByPk(refundId, { attributes: ['provider_response', 'status'] });
    if (t && (t.status !== 'pending' || (t.provider_response && 'staff' in t.provider_response))) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`refund ${refundId} was never handed to staff`);
}

/**
 * A payout in every state the money commands allow: Asha's first transfer bounced (failed, its
 * entries reversed) and the second completed; Vikram's is approved; Priya's waits for approval.
 */
/**
 * A sold-out free workshop with a waitlist: five seats taken, four people waiting in line, then one
 * attendee cancels and the head of the line is admitted in that same transaction — what the panel's
 * Waitlist action on the event shows (positions, Admit now, Remove).
 */
export const seedWaitlist: Step = async (w) => {
  const title = 'Pottery Basics: Wheel Throwing';
  const host = w.hosts.priya;
  if (await Event.count({ where: { host_id: host.id, title } })) return;
  const hostCtx = as(host, 'api');
  const start = new Date(Math.floor(w.now.getTime() / DAY) * DAY + 9 * DAY + 5 * HOUR);
  clock.set(new Date(w.now.getTime() - 2 * DAY));
  try {
    const event = await createEvent(hostCtx, {
      title, description: 'Centre the clay, pull your first walls, trim a bowl to take home — a Loopin demo event.',
      start_time: start, end_time: new Date(start.getTime() + 3 * HOUR), venue: w.venues.get('Clay Studio Bandra')!,
      max_capacity: 5, is_paid: false, ticket_price: '0.00', allow_plus_one: false, allowed_genders: 'all', waitlist_enabled: true,
      cover_images: [`https://picsum.photos/seed/${hashOf(title).slice(0, 12)}/1200/600`], event_interests: ['art', 'workshop'], is_public: true,
    });
    await transitionEvent(hostCtx, event.uuid, 'publish');
    const going: string[] = [];
    for (const guest of w.guests.slice(12, 21)) {
      clock.advance(11 * MINUTE);
      const request = await createRequest(as(guest, 'api'), { eventRef: event.uuid, message: 'First time at a wheel!', seatsRequested: 1 });
      const accepted = await acceptRequest(hostCtx, { requestUuid: request.uuid, hostMessage: 'Welcome aboard!' });
      if (accepted.attendee) going.push(accepted.attendee.uuid);
    }
    clock.advance(3 * HOUR);
    await cancelAttendee(as(host, 'api'), { eventRef: event.uuid, attendeeUuid: going[1]! });
  } finally {
    clock.reset();
  }
  w.created++;
  w.log(`event: ${title} (waitlist)`);
};

export const seedPayouts: Step = async (w) => {
  const currency = config().CURRENCY;
  const staff = as(w.staff, 'admin');
  const at = (hoursAgo: number) => clock.set(new Date(w.now.getTime() - hoursAgo * HOUR));
  const plans: [HostKey, (host: Actor) => Promise<void>][] = [
    ['asha', async (host) => {
      at(72);
      const bounced = await createPayout(staff, { host: host.uuid, currency });
      at(48);
      await failPayout(staff, bounced.uuid, { reason: 'Bank returned the transfer: beneficiary name mismatch' });
      at(47);
      const payout = await createPayout(staff, { host: host.uuid, currency });
      await approvePayout(staff, payout.uuid);
      at(24);
      await markPayoutProcessing(staff, payout.uuid, { reference: 'UTR HDFCR52026120100417' });
      at(20);
      await completePayout(staff, payout.uuid, { reference: 'UTR HDFCR52026120100417' });
    }],
    ['vikram', async (host) => {
      at(24);
      const payout = await createPayout(staff, { host: host.uuid, currency });
      at(20);
      await approvePayout(staff, payout.uuid);
    }],
    ['priya', async (host) => {
      at(2);
      await createPayout(staff, { host: host.uuid, currency });
    }],
  ];
  for (const [key, play] of plans) {
    if (await Payout.count({ where: { host_id: w.hosts[key].id } })) continue;
    try {
      await play(w.hosts[key]);
    } finally {
      clock.reset();
    }
    w.created++;
  }
};

/**
 * What the scheduler would have done by now, run once through the jobs' own commands: host webhooks
 * delivered (to the local receiver), lapsed holds and unpaid orders expired, past events completed,
 * the audit summary rebuilt over the story's days and the audit chain sealed. Skipped on a rerun.
 */
export const runHousekeeping: Step = async (w) => {
  if (!w.created) return;
  const job = as(null, 'job');
  if (w.receiver) await deliverDueWebhooks(job);
  await expireHolds(job);
  await expireOrders(job);
  await completePastEvents(job);
  await summarizeAuditLog(job, { days: config().BALANCE_HOLD_DAYS + 21 });
  await settleSeal();
  // Past-dated rows count as stale at once: seal them now (a busy chain lock means a server is sealing).
  for (let r = await sealAuditChain(job); r.ran && !r.done; r = await sealAuditChain(job));
};

export async function staffActor(): Promise<Actor> {
  const staff = await AuthUser.findOne({ where: { is_superuser: true, is_active: true }, order: [['id', 'ASC']] });
  if (!staff) throw new Error('no superuser to act as staff: set ADMIN_EMAIL and ADMIN_PASSWORD and start the server once');
  return { id: staff.id, uuid: staff.uuid, is_staff: true, is_superuser: true, email: staff.email };
}

/** Runs `steps` with the demo configuration in place; the previous configuration is restored after. */
export async function withDemoConfig<T>(run: () => Promise<T>): Promise<T> {
  const previous = config();
  setConfig(demoConfig(previous));
  try {
    return await run();
  } finally {
    setConfig(previous);
    clock.reset();
  }
}
