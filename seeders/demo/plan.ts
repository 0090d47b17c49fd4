import type { VenueType } from '../../src/models/index.js';
import type { PaymentProvider } from '../../src/models/index.js';

/*
 * What `npm run seed:demo` tells: who the people are, where the events happen and what happens to
 * each guest. Pure data; demo/steps.ts plays it through the domain commands. Times are relative to
 * the run (days from today, UTC hours), so past, live and upcoming stay past, live and upcoming.
 */

export interface PersonPlan { phone: string; name: string; gender: 'male' | 'female' }

export const HOSTS = {
  asha: { phone: '+910000000101', name: 'Asha Rao', gender: 'female' },
  vikram: { phone: '+910000000102', name: 'Vikram Shah', gender: 'male' },
  priya: { phone: '+910000000103', name: 'Priya Nair', gender: 'female' },
} satisfies Record<string, PersonPlan>;
export type HostKey = keyof typeof HOSTS;

const FIRST = ['Meera', 'Kabir', 'Zoya', 'Arjun', 'Nila', 'Dev', 'Isha', 'Rohan', 'Tara', 'Neel', 'Anya', 'Kiran',
  'Sana', 'Aarav', 'Diya', 'Farhan', 'Leela', 'Omar', 'Ritu', 'Sahil', 'Tanvi', 'Uday', 'Vera', 'Yash'];
export const GUESTS: PersonPlan[] = FIRST.map((first, i) => ({
  phone: `+9100000002${String(i).padStart(2, '0')}`, name: `${first} Demo`, gender: i % 2 ? 'male' : 'female',
}));

/** Payout accounts of the hosts who are paid out (numbers sealed by the command; only last 4 readable). */
export const PAYOUT_ACCOUNTS: Record<HostKey, { account_holder: string; account_number: string; ifsc: string }> = {
  asha: { account_holder: 'Asha Rao', account_number: '50100234567812', ifsc: 'HDFC0000123' },
  vikram: { account_holder: 'Vikram Shah', account_number: '917020045678321', ifsc: 'UTIB0000456' },
  priya: { account_holder: 'Priya Nair Studio', account_number: '00601234509876', ifsc: 'ICIC0000601' },
};

export interface VenuePlan {
  host: HostKey; name: string; city: string; venue_type: VenueType; capacity: number; address: string;
  latitude?: number; longitude?: number;
}

export const VENUES: VenuePlan[] = [
  { host: 'asha', name: 'Blue Tokai Courtyard', city: 'Pune', venue_type: 'outdoor', capacity: 80, address: 'Koregaon Park, Pune', latitude: 18.5362, longitude: 73.8939 },
  { host: 'vikram', name: 'The Loft', city: 'Bengaluru', venue_type: 'indoor', capacity: 40, address: 'Indiranagar, Bengaluru', latitude: 12.9719, longitude: 77.6412 },
  { host: 'priya', name: 'Clay Studio Bandra', city: 'Mumbai', venue_type: 'indoor', capacity: 16, address: 'Pali Hill, Bandra West, Mumbai', latitude: 19.0681, longitude: 72.8263 },
];

/**
 * What becomes of one guest of an event:
 * - ticket: accepted (free) or accepted and paid with `pay` (paid events);
 * - failed: the provider reports the payment failed (hold released);
 * - order_expires: an order is placed and never paid (the expiry job cancels it);
 * - hold_expires: accepted, never ordered (the hold lapses);
 * - holding: accepted just now, seats held while they pay;
 * - awaiting: a cash / bank transfer order placed just now, waiting for the host or staff to confirm it;
 * - pending / declined: the request is left pending, or the host declines it.
 */
export type Outcome = 'ticket' | 'failed' | 'order_expires' | 'hold_expires' | 'holding' | 'awaiting' | 'pending' | 'declined';

export interface GuestPlan {
  guest: number;
  outcome?: Outcome;
  pay?: PaymentProvider;
  seats?: 1 | 2;
  /** After the event (past) or before it (upcoming): the host refunds; `confirm`: staff then confirm it executed. */
  refund?: { amount?: string; reason: string; confirm: boolean };
  checkIn?: boolean;
  checkOut?: boolean;
}

export interface EventPlan {
  host: HostKey;
  title: string;
  blurb: string;
  /** Start: days from today at `hourUtc`, or, for the live event, minutes from now. */
  when: { days: number; hourUtc: number } | { minutesFromNow: number };
  hours: number;
  venue?: string;
  venue_text?: string;
  price?: string;
  cap: number;
  plusOne?: boolean;
  interests: string[];
  guests: GuestPlan[];
}

/**
 * The events. Past paid events end more than BALANCE_HOLD_DAYS ago, so their money is available and
 * can be paid out; every provider takes at least one payment; 13:30 UTC is 19:00 in India.
 */
export function eventPlans(holdDays: number): EventPlan[] {
  return [
    {
      host: 'asha', title: 'Sunset Rooftop Jazz', blurb: 'A quartet, the Pune skyline and a long golden hour.',
      when: { days: -(holdDays + 13), hourUtc: 12.5 }, hours: 3, venue: 'Blue Tokai Courtyard', price: '499.00', cap: 40,
      interests: ['music'],
      guests: [
        { guest: 0, pay: 'stripe', checkIn: true },
        { guest: 1, pay: 'razorpay', checkIn: true, checkOut: true },
        { guest: 2, pay: 'cash', checkIn: true },
        { guest: 3, pay: 'paytm', checkIn: true },
        { guest: 4, pay: 'stripe', checkIn: true, refund: { amount: '199.00', reason: 'Arrived after the first set', confirm: true } },
        { guest: 5, pay: 'phonepe' },
      ],
    },
    {
      host: 'vikram', title: 'Tech Trivia Night', blurb: 'Six rounds of questions about computers, the internet and the people who built them.',
      when: { days: -(holdDays + 6), hourUtc: 13.5 }, hours: 3, venue: 'The Loft', price: '299.00', cap: 30,
      interests: ['tech', 'gaming'],
      guests: [
        { guest: 6, pay: 'paypal', checkIn: true },
        { guest: 7, pay: 'phonepe', checkIn: true, checkOut: true },
        { guest: 8, pay: 'gpay', checkIn: true },
        { guest: 9, pay: 'bank_transfer', checkIn: true },
        { guest: 10, pay: 'razorpay', refund: { reason: 'Could not attend: refunded in full', confirm: true } },
        { guest: 11, outcome: 'declined' },
      ],
    },
    {
      host: 'priya', title: 'Bandra Food Trail', blurb: 'Seven stops from Hill Road to Carter Road, from vada pav to falooda.',
      when: { days: -(holdDays + 3), hourUtc: 11.5 }, hours: 4, venue_text: 'Meet at the Carter Road amphitheatre', price: '799.00', cap: 16,
      plusOne: true, interests: ['food-drinks', 'culture'],
      guests: [
        { guest: 12, pay: 'gpay', seats: 2, checkIn: true },
        { guest: 13, pay: 'stripe', checkIn: true },
        { guest: 14, pay: 'cash', checkIn: true, checkOut: true },
        { guest: 15, pay: 'paytm' },
        { guest: 16, pay: 'paypal', checkIn: true, refund: { amount: '300.00', reason: 'Two stops were closed on the day', confirm: true } },
      ],
    },
    {
      host: 'vikram', title: 'Cubbon Park Morning Run', blurb: 'An easy 5 km loop under the trees, then filter coffee.',
      when: { days: -4, hourUtc: 1 }, hours: 2, venue_text: 'Cubbon Park bandstand', cap: 50, interests: ['fitness', 'outdoors'],
      guests: [
        { guest: 17, checkIn: true },
        { guest: 18, checkIn: true, checkOut: true },
        { guest: 19, checkIn: true },
        { guest: 20, checkIn: true },
        { guest: 21 },
        { guest: 22, outcome: 'pending' },
      ],
    },
    {
      host: 'asha', title: 'Open Mic: Poetry & Chai', blurb: 'Five minutes each, any language; chai on the house.',
      when: { minutesFromNow: -60 }, hours: 3, venue: 'Blue Tokai Courtyard', price: '149.00', cap: 25, interests: ['books', 'comedy'],
      guests: [
        { guest: 0, pay: 'stripe', checkIn: true },
        { guest: 6, pay: 'razorpay', checkIn: true, checkOut: true },
        { guest: 12, pay: 'paytm', checkIn: true },
        { guest: 17, pay: 'cash' },
        { guest: 23, pay: 'gpay' },
      ],
    },
    {
      host: 'vikram', title: 'Founders & Coffee', blurb: 'Early-stage founders swapping notes over pour-overs.',
      when: { days: 3, hourUtc: 3.5 }, hours: 2, venue: 'The Loft', cap: 20, interests: ['business', 'tech'],
      guests: [
        { guest: 14 }, { guest: 15 }, { guest: 16 },
        { guest: 17, outcome: 'declined' },
        { guest: 18, outcome: 'pending' },
      ],
    },
    {
      host: 'asha', title: 'Sunday Acoustic Evening', blurb: 'Unplugged sets by local songwriters in the courtyard.',
      when: { days: 5, hourUtc: 12.5 }, hours: 3, venue: 'Blue Tokai Courtyard', cap: 30, plusOne: true, interests: ['music'],
      guests: [
        { guest: 1 }, { guest: 2 }, { guest: 3 },
        { guest: 4, outcome: 'pending' },
        { guest: 5, outcome: 'pending' },
      ],
    },
    {
      host: 'priya', title: 'Wheel-Throwing Pottery Workshop', blurb: 'Centre, open and pull your first bowl; glazing the week after.',
      when: { days: 6, hourUtc: 5 }, hours: 3, venue: 'Clay Studio Bandra', price: '1200.00', cap: 10, interests: ['art', 'workshop'],
      guests: [
        { guest: 2, pay: 'paytm' },
        { guest: 3, pay: 'gpay' },
        { guest: 5, pay: 'stripe' },
        { guest: 15, pay: 'bank_transfer', outcome: 'awaiting' },
      ],
    },
    {
      host: 'asha', title: 'Street Food Walk: Camp', blurb: 'Irani cafés, bun maska and the best kebabs in Pune Camp.',
      when: { days: 9, hourUtc: 11.5 }, hours: 3, venue_text: 'Meet at MG Road gate', price: '349.00', cap: 15, plusOne: true,
      interests: ['food-drinks', 'travel'],
      guests: [
        { guest: 7, pay: 'stripe' },
        { guest: 8, pay: 'razorpay', outcome: 'failed' },
        { guest: 9, pay: 'cash', outcome: 'awaiting' },
        { guest: 10, outcome: 'hold_expires' },
        { guest: 11, pay: 'stripe', outcome: 'order_expires' },
        { guest: 13, outcome: 'holding' },
      ],
    },
    {
      host: 'vikram', title: 'Board Game Night', blurb: 'Catan, Codenames and a shelf of two hundred more.',
      when: { days: 12, hourUtc: 13 }, hours: 4, venue: 'The Loft', price: '199.00', cap: 12, interests: ['gaming'],
      guests: [
        { guest: 19, pay: 'paypal' },
        { guest: 20, pay: 'phonepe', refund: { reason: 'Change of plans', confirm: false } },
        { guest: 21, pay: 'razorpay' },
        { guest: 22, outcome: 'holding' },
        { guest: 23, pay: 'bank_transfer', outcome: 'awaiting' },
      ],
    },
  ];
}

/** The provider's view of a payment made with it: what its webhook would name. */
export interface ProviderStyle { method: string; eventType: string; paymentId: (h: string) => string; eventId: (h: string) => string }

/** Online providers, with ids in each provider's own shape (derived from a hash, so reruns agree). */
export const ONLINE: Partial<Record<PaymentProvider, ProviderStyle>> = {
  stripe: { method: 'card', eventType: 'payment_intent.succeeded', paymentId: (h) => `pi_3${alnum(h, 23)}`, eventId: (h) => `evt_3${alnum(h.slice(8), 23)}` },
  razorpay: { method: 'upi', eventType: 'payment.captured', paymentId: (h) => `pay_${alnum(h, 14)}`, eventId: (h) => `evt_${alnum(h.slice(8), 14)}` },
  gpay: { method: 'upi', eventType: 'payment.captured', paymentId: (h) => `pay_${alnum(h, 14)}`, eventId: (h) => `evt_${alnum(h.slice(8), 14)}` },
  paypal: { method: 'paypal', eventType: 'PAYMENT.CAPTURE.COMPLETED', paymentId: (h) => alnum(h, 17).toUpperCase(), eventId: (h) => `WH-${alnum(h.slice(8), 17).toUpperCase()}` },
  paytm: { method: 'wallet', eventType: 'TXN_SUCCESS', paymentId: (h) => digits(h, 34), eventId: (h) => `${digits(h, 34)}:TXN_SUCCESS` },
  phonepe: { method: 'upi', eventType: 'PAYMENT_SUCCESS', paymentId: (h) => `T${digits(h, 22)}`, eventId: (h) => `T${digits(h, 22)}:PAYMENT_SUCCESS` },
};

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function alnum(hex: string, n: number): string {
  return Array.from({ length: n }, (_, i) => ALNUM[parseInt(hex.slice((i * 2) % 60, (i * 2) % 60 + 2), 16) % ALNUM.length]).join('');
}
function digits(hex: string, n: number): string {
  return Array.from({ length: n }, (_, i) => String(parseInt(hex[i % 64]!, 16) % 10)).join('');
}
