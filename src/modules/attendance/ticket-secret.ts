import crypto from 'node:crypto';
import { hmac, safeEqual, sha256 } from '../../lib/crypto.js';
import { derivedSecret } from '../../lib/jwt.js';

/**
 * A ticket's 32-character door code is never stored: it is derived from a random per-ticket salt with
 * a server key, so its owner can be shown it again while a dump of the database (salt, salted hash,
 * lookup HMAC) lets no one type a valid code. See docs/decisions/0700-tickets-and-check-in.md.
 */
export interface TicketSecretRow {
  /** Random, stored in TICKET_SECRET.secret_salt. */
  secret_salt: string;
  /** sha256(salt + code), stored in TICKET_SECRET.secret_hash; checked in constant time. */
  secret_hash: string;
  /** HMAC of the code with a server key: finds the row in O(1) (TICKET_SECRET.secret_lookup). */
  secret_lookup: string;
}

// Crockford base32: no I, L, O, U — easy to read out and type at a door.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TICKET_CODE_LENGTH = 32;

function base32(bytes: Buffer, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
  }
  return out;
}

/** The door code of a ticket with this salt (needs the server key; 160 bits). */
export function ticketCodeFor(salt: string): string {
  const mac = crypto.createHmac('sha256', derivedSecret('ticket-code')).update(salt).digest();
  return base32(mac, TICKET_CODE_LENGTH);
}

/** Normalises what a person typed: case, spaces and dashes do not matter. */
export function normaliseTicketCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, '');
}

/** The lookup HMAC of a code, to find its TICKET_SECRET row. */
export function ticketLookupOf(code: string): string {
  return hmac(derivedSecret('ticket-lookup'), normaliseTicketCode(code));
}

/** A fresh secret for a new (or re-issued) ticket: what the seating path stores. */
export function mintTicketSecret(): TicketSecretRow {
  const secret_salt = crypto.randomBytes(16).toString('base64url');
  const code = ticketCodeFor(secret_salt);
  return { secret_salt, secret_hash: sha256(secret_salt + code), secret_lookup: ticketLookupOf(code) };
}

/** Whether a typed code matches a stored row (constant-time). */
export function ticketSecretMatches(code: string, row: Pick<TicketSecretRow, 'secret_salt' | 'secret_hash'>): boolean {
  return safeEqual(sha256(row.secret_salt + normaliseTicketCode(code)), row.secret_hash);
}

/** What a code looks like once normalised: 32 characters of the door alphabet. */
export function looksLikeTicketCode(input: string): boolean {
  const code = normaliseTicketCode(input);
  return code.length === TICKET_CODE_LENGTH && [...code].every((c) => ALPHABET.includes(c));
}

/**
 * The door list's fingerprint of a ticket: lets an offline device check a typed code (it hashes what
 * was typed the same way) while revealing nothing that checks in — the code has 160 random bits.
 */
export function doorFingerprint(code: string): string {
  return sha256(`loopin-door:${normaliseTicketCode(code)}`);
}
