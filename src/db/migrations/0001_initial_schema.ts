import type { QueryInterface } from 'sequelize';

/*
 * The initial Loopin schema: the 21 ERD tables (shared/seed/loopin-erd.md) plus the few tables the
 * ERD lacks. The database is the last line of defence, so every enum, range and "one per" rule
 * of the ERD is a CHECK, NOT NULL or (partial) UNIQUE constraint here, and every foreign key and
 * list filter has an index.
 *
 * Enum lists are written out literally on purpose: a migration is a frozen record of what was
 * applied, so it must not import the (evolving) model constants. The models export the same lists.
 *
 * ON DELETE policy, applied everywhere below:
 *   CASCADE  – pure child state owned by the parent (profile, tokens, requests, images, OTPs…);
 *   RESTRICT – rows that record money or attendance history (orders, transactions, attendees,
 *              attendance records) — users and events are deactivated/soft-deleted, never erased
 *              out from under a ledger;
 *   SET NULL – optional references whose row must outlive the referenced one (audit actor,
 *              notification sender, event venue, invite host…).
 */

const EXTENSIONS = `
-- pg_trgm powers the event title/description search. Tolerate a concurrent CREATE EXTENSION and
-- a server without the contrib module (search then falls back to a sequential ILIKE scan).
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION
  WHEN unique_violation OR duplicate_object THEN NULL;
  WHEN undefined_file OR feature_not_supported OR insufficient_privilege THEN
    RAISE NOTICE 'pg_trgm unavailable; event search will not use a trigram index';
END
$$;

-- Keeps updated_at honest for raw-SQL updates (atomic counters, job sweeps) that bypass the ORM,
-- while leaving an explicitly written value (the ORM's, from the app clock) untouched.
CREATE OR REPLACE FUNCTION loopin_touch_updated_at() RETURNS trigger AS $$
BEGIN
  IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
    NEW.updated_at := now();
  END IF;
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
`;

const USERS = `
CREATE TABLE auth_user (
  id            BIGSERIAL PRIMARY KEY,
  uuid          UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  username      VARCHAR(150) NOT NULL UNIQUE,            -- the E.164 phone number
  email         VARCHAR(254) CHECK (email IS NULL OR char_length(email) BETWEEN 3 AND 254), -- NULL, never ''
  password      VARCHAR(255),                            -- NULL: OTP-only account, no usable password
  first_name    VARCHAR(150) NOT NULL DEFAULT '',
  last_name     VARCHAR(150) NOT NULL DEFAULT '',
  is_active     BOOLEAN NOT NULL DEFAULT true,
  is_staff      BOOLEAN NOT NULL DEFAULT false,
  is_superuser  BOOLEAN NOT NULL DEFAULT false,
  date_joined   TIMESTAMPTZ NOT NULL DEFAULT now(),
  last_login    TIMESTAMPTZ,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX auth_user_email_lower_key ON auth_user (lower(email)) WHERE email IS NOT NULL;

CREATE TABLE user_profile (
  id                BIGSERIAL PRIMARY KEY,
  user_id           BIGINT NOT NULL UNIQUE REFERENCES auth_user(id) ON DELETE CASCADE,
  uuid              UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  -- name/gender are NULL until complete-profile: the profile row is created at OTP verification.
  name              VARCHAR(100) CHECK (name IS NULL OR char_length(name) BETWEEN 2 AND 100),
  phone_number      VARCHAR(20),
  bio               TEXT CHECK (bio IS NULL OR char_length(bio) <= 500),
  location          VARCHAR(100),
  birth_date        DATE,
  gender            VARCHAR(20) CHECK (gender IS NULL OR gender IN ('male','female','other','prefer_not_to_say')),
  profile_pictures  JSONB NOT NULL DEFAULT '[]'::jsonb
                    CHECK (jsonb_typeof(profile_pictures) = 'array' AND jsonb_array_length(profile_pictures) <= 6),
  metadata          JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  is_verified       BOOLEAN NOT NULL DEFAULT false,
  is_active         BOOLEAN NOT NULL DEFAULT true,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Keyed by phone, not by user: a signup OTP exists before its user does (the ERD draws a
-- relationship to AUTH_USER but gives the table no user column).
CREATE TABLE user_phone_otp (
  id            BIGSERIAL PRIMARY KEY,
  phone_number  VARCHAR(20) NOT NULL,
  otp_code      TEXT NOT NULL,                           -- an HMAC of the 4-digit code, never the code
  otp_type      VARCHAR(20) NOT NULL DEFAULT 'signup'
                CHECK (otp_type IN ('signup','login','password_reset','phone_verification','transaction')),
  status        VARCHAR(10) NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending','verified','expired','failed')),
  is_verified   BOOLEAN NOT NULL DEFAULT false,
  attempts      INT NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 3),
  expires_at    TIMESTAMPTZ NOT NULL,
  created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT user_phone_otp_verified_status CHECK (NOT is_verified OR status = 'verified')
);
-- "Single OTP per phone number": at most one live (pending) code per phone.
CREATE UNIQUE INDEX user_phone_otp_one_pending ON user_phone_otp (phone_number) WHERE status = 'pending';
CREATE INDEX user_phone_otp_phone_created ON user_phone_otp (phone_number, created_at);
CREATE INDEX user_phone_otp_pending_expiry ON user_phone_otp (expires_at) WHERE status = 'pending';

CREATE TABLE event_interest (
  id           BIGSERIAL PRIMARY KEY,
  -- Not in the ERD: the API accepts interests "by slug or uuid" and never exposes numeric ids.
  uuid         UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  name         VARCHAR(100) NOT NULL UNIQUE CHECK (char_length(name) >= 1),
  slug         VARCHAR(100) NOT NULL UNIQUE CHECK (char_length(slug) >= 1),
  description  TEXT,
  is_active    BOOLEAN NOT NULL DEFAULT true,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Not in the ERD as a table: USER_PROFILE }o--o{ EVENT_INTEREST needs a join table.
CREATE TABLE user_profile_interest (
  id                BIGSERIAL PRIMARY KEY,
  profile_id        BIGINT NOT NULL REFERENCES user_profile(id) ON DELETE CASCADE,
  -- RESTRICT: interests are master data, retired with is_active=false rather than deleted.
  eventinterest_id  BIGINT NOT NULL REFERENCES event_interest(id) ON DELETE RESTRICT,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (profile_id, eventinterest_id)
);
CREATE INDEX user_profile_interest_interest ON user_profile_interest (eventinterest_id);

-- Not in the ERD: rotating refresh tokens (API: POST /auth/refresh, /auth/logout). Only a hash
-- is stored; family_id lets reuse of a rotated token revoke the whole family.
CREATE TABLE refresh_token (
  id              BIGSERIAL PRIMARY KEY,
  uuid            UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  user_id         BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  family_id       UUID NOT NULL,
  token_hash      TEXT NOT NULL UNIQUE,
  expires_at      TIMESTAMPTZ NOT NULL,
  revoked_at      TIMESTAMPTZ,
  replaced_by_id  BIGINT REFERENCES refresh_token(id) ON DELETE SET NULL,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX refresh_token_user ON refresh_token (user_id);
CREATE INDEX refresh_token_family ON refresh_token (family_id);
CREATE INDEX refresh_token_replaced_by ON refresh_token (replaced_by_id);
CREATE INDEX refresh_token_expires ON refresh_token (expires_at);
`;

const EVENTS = `
CREATE TABLE venue (
  id             BIGSERIAL PRIMARY KEY,
  uuid           UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  name           VARCHAR(150) NOT NULL CHECK (char_length(name) >= 1),
  address        TEXT,                                   -- NULL allowed: virtual venues have none
  city           VARCHAR(100),
  venue_type     VARCHAR(10) NOT NULL DEFAULT 'indoor' CHECK (venue_type IN ('indoor','outdoor','virtual','hybrid')),
  capacity       INT NOT NULL DEFAULT 0 CHECK (capacity >= 0),  -- 0 = unlimited
  latitude       DECIMAL(9,6) CHECK (latitude BETWEEN -90 AND 90),
  longitude      DECIMAL(9,6) CHECK (longitude BETWEEN -180 AND 180),
  metadata       JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  is_active      BOOLEAN NOT NULL DEFAULT true,
  -- Not in the ERD: venue writes are allowed to staff or the creator. SET NULL keeps the venue
  -- (events point at it) when its creator goes.
  created_by_id  BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT venue_coordinates_pair CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX venue_city ON venue (city);
CREATE INDEX venue_city_lower ON venue (lower(city));
CREATE INDEX venue_created_by ON venue (created_by_id);

CREATE TABLE event (
  id              BIGSERIAL PRIMARY KEY,
  -- RESTRICT: a host with events (and their attendees' money) is deactivated, not deleted.
  host_id         BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE RESTRICT,
  -- SET NULL: the event survives its venue (venue_text may still describe the place).
  venue_id        BIGINT REFERENCES venue(id) ON DELETE SET NULL,
  uuid            UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  slug            VARCHAR(255) NOT NULL UNIQUE CHECK (char_length(slug) >= 1),
  title           VARCHAR(200) NOT NULL CHECK (char_length(title) BETWEEN 3 AND 200),
  description     TEXT NOT NULL CHECK (char_length(description) >= 10),
  venue_text      VARCHAR(255),
  start_time      TIMESTAMPTZ NOT NULL,
  end_time        TIMESTAMPTZ NOT NULL,
  max_capacity    INT NOT NULL DEFAULT 0 CHECK (max_capacity >= 0),  -- 0 = unlimited
  going_count     INT NOT NULL DEFAULT 0 CHECK (going_count >= 0),
  requests_count  INT NOT NULL DEFAULT 0 CHECK (requests_count >= 0),
  is_paid         BOOLEAN NOT NULL DEFAULT false,
  ticket_price    DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (ticket_price >= 0),
  allow_plus_one  BOOLEAN NOT NULL DEFAULT false,
  gst_number      VARCHAR(50),
  allowed_genders VARCHAR(12) NOT NULL DEFAULT 'all' CHECK (allowed_genders IN ('all','male','female','non_binary')),
  cover_images    JSONB NOT NULL DEFAULT '[]'::jsonb
                  CHECK (jsonb_typeof(cover_images) = 'array' AND jsonb_array_length(cover_images) <= 3),
  status          VARCHAR(10) NOT NULL DEFAULT 'draft'
                  CHECK (status IN ('draft','published','cancelled','completed','postponed')),
  is_public       BOOLEAN NOT NULL DEFAULT true,
  is_active       BOOLEAN NOT NULL DEFAULT true,
  created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT event_time_order CHECK (end_time > start_time),
  CONSTRAINT event_price_matches_paid CHECK ((is_paid AND ticket_price > 0) OR (NOT is_paid AND ticket_price = 0)),
  -- Backstop for the capacity rule: confirmed seats never exceed a non-zero capacity.
  CONSTRAINT event_going_within_capacity CHECK (max_capacity = 0 OR going_count <= max_capacity)
);
CREATE INDEX event_status_start ON event (status, start_time);
CREATE INDEX event_host ON event (host_id);
CREATE INDEX event_venue ON event (venue_id);
CREATE INDEX event_start ON event (start_time);
-- The public listing: published, public, active events by start time.
CREATE INDEX event_listed_start ON event (start_time DESC, id DESC) WHERE status = 'published' AND is_public AND is_active;

CREATE TABLE event_interest_map (
  id                BIGSERIAL PRIMARY KEY,
  event_id          BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  eventinterest_id  BIGINT NOT NULL REFERENCES event_interest(id) ON DELETE RESTRICT, -- master data: deactivate instead
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (event_id, eventinterest_id)
);
CREATE INDEX event_interest_map_interest ON event_interest_map (eventinterest_id);

CREATE TABLE event_image (
  id          BIGSERIAL PRIMARY KEY,
  event_id    BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  image_url   TEXT NOT NULL CHECK (char_length(image_url) >= 1),
  position    INT NOT NULL DEFAULT 0 CHECK (position >= 0),
  created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX event_image_event_position ON event_image (event_id, position);

CREATE TABLE event_request (
  id               BIGSERIAL PRIMARY KEY,
  event_id         BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  requester_id     BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  uuid             UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  status           VARCHAR(10) NOT NULL DEFAULT 'pending'
                   CHECK (status IN ('pending','accepted','declined','cancelled','expired')),
  message          TEXT,
  host_message     TEXT,
  seats_requested  INT NOT NULL DEFAULT 1 CHECK (seats_requested >= 1),
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- "One pending request per user per event"; decided requests may pile up.
CREATE UNIQUE INDEX event_request_one_pending ON event_request (event_id, requester_id) WHERE status = 'pending';
CREATE INDEX event_request_event_status_created ON event_request (event_id, status, created_at);
CREATE INDEX event_request_requester_created ON event_request (requester_id, created_at);

CREATE TABLE event_invite (
  id               BIGSERIAL PRIMARY KEY,
  event_id         BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  host_id          BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,  -- optional; defaults to the event host
  invited_user_id  BIGINT REFERENCES auth_user(id) ON DELETE CASCADE,
  uuid             UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  invite_type      VARCHAR(10) NOT NULL DEFAULT 'direct' CHECK (invite_type IN ('direct','share_link')),
  status           VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','accepted','declined','expired')),
  message          TEXT,
  expires_at       TIMESTAMPTZ,
  -- Not in the ERD: the hash of a share link's token (the token itself is only in the link).
  token_hash       TEXT UNIQUE,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT event_invite_direct_has_user CHECK (invite_type = 'share_link' OR invited_user_id IS NOT NULL),
  CONSTRAINT event_invite_link_has_token CHECK (invite_type <> 'share_link' OR token_hash IS NOT NULL),
  -- "One invite per user per event" (share links have no invited user, so NULLs stay distinct).
  UNIQUE (event_id, invited_user_id)
);
CREATE INDEX event_invite_invited_user_created ON event_invite (invited_user_id, created_at);
CREATE INDEX event_invite_host ON event_invite (host_id);
CREATE INDEX event_invite_event_status ON event_invite (event_id, status);

CREATE TABLE event_attendee (
  id             BIGSERIAL PRIMARY KEY,
  event_id       BIGINT NOT NULL REFERENCES event(id) ON DELETE RESTRICT,     -- money/attendance history
  user_id        BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE RESTRICT, -- money/attendance history
  request_id     BIGINT REFERENCES event_request(id) ON DELETE SET NULL,
  uuid           UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  ticket_type    VARCHAR(20) NOT NULL DEFAULT 'standard'
                 CHECK (ticket_type IN ('standard','vip','early_bird','premium','general','group','couple',
                                        'family','student','senior_citizen','disabled','other')),
  seats          INT NOT NULL DEFAULT 1 CHECK (seats >= 1),
  is_paid        BOOLEAN NOT NULL DEFAULT false,
  price_paid     DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (price_paid >= 0),
  platform_fee   DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (platform_fee >= 0),
  status         VARCHAR(10) NOT NULL DEFAULT 'going'
                 CHECK (status IN ('going','not_going','maybe','checked_in','cancelled')),
  checked_in_at  TIMESTAMPTZ,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT event_attendee_checkin_time CHECK (status <> 'checked_in' OR checked_in_at IS NOT NULL),
  UNIQUE (event_id, user_id)
);
CREATE INDEX event_attendee_user ON event_attendee (user_id);
CREATE INDEX event_attendee_request ON event_attendee (request_id);
CREATE INDEX event_attendee_event_status ON event_attendee (event_id, status, created_at);

CREATE TABLE capacity_reservation (
  id               BIGSERIAL PRIMARY KEY,
  event_id         BIGINT NOT NULL REFERENCES event(id) ON DELETE CASCADE,
  user_id          BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  reservation_key  UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  seats_reserved   INT NOT NULL DEFAULT 1 CHECK (seats_reserved >= 1),
  consumed         BOOLEAN NOT NULL DEFAULT false,
  expires_at       TIMESTAMPTZ NOT NULL,
  -- Not in the ERD: what the hold came from, and when it was given back (expiry sweep/cancel).
  request_id       BIGINT REFERENCES event_request(id) ON DELETE SET NULL,
  invite_id        BIGINT REFERENCES event_invite(id) ON DELETE SET NULL,
  released_at      TIMESTAMPTZ,
  created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT capacity_reservation_consumed_or_released CHECK (NOT (consumed AND released_at IS NOT NULL))
);
-- Live holds per event: the "held seats" term of the capacity rule, and the expiry sweep.
CREATE INDEX capacity_reservation_live ON capacity_reservation (event_id, expires_at) WHERE NOT consumed AND released_at IS NULL;
CREATE INDEX capacity_reservation_live_expiry ON capacity_reservation (expires_at) WHERE NOT consumed AND released_at IS NULL;
CREATE INDEX capacity_reservation_event ON capacity_reservation (event_id);
CREATE INDEX capacity_reservation_user ON capacity_reservation (user_id);
CREATE INDEX capacity_reservation_request ON capacity_reservation (request_id);
CREATE INDEX capacity_reservation_invite ON capacity_reservation (invite_id);
`;

const SEARCH = `
-- Trigram indexes for ILIKE search on events; only when pg_trgm could be installed.
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX event_title_trgm ON event USING gin (lower(title) gin_trgm_ops);
    CREATE INDEX event_description_trgm ON event USING gin (lower(description) gin_trgm_ops);
  END IF;
END
$$;
`;

const PAYMENTS = `
CREATE TABLE payment_order (
  id                   BIGSERIAL PRIMARY KEY,
  event_id             BIGINT NOT NULL REFERENCES event(id) ON DELETE RESTRICT,     -- money
  user_id              BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE RESTRICT, -- money
  uuid                 UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  order_reference      VARCHAR(64) NOT NULL UNIQUE,
  order_id             VARCHAR(64) NOT NULL UNIQUE,
  amount               DECIMAL(10,2) NOT NULL CHECK (amount >= 0.01),
  currency             VARCHAR(3) NOT NULL DEFAULT 'INR' CHECK (currency IN ('INR','USD','EUR','GBP')),
  status               VARCHAR(10) NOT NULL DEFAULT 'created'
                       CHECK (status IN ('created','pending','paid','completed','failed','cancelled','refunded','unpaid')),
  payment_provider     VARCHAR(20) NOT NULL
                       CHECK (payment_provider IN ('razorpay','stripe','paypal','paytm','phonepe','gpay','cash','bank_transfer')),
  provider_payment_id  VARCHAR(255),
  provider_response    JSONB NOT NULL DEFAULT '{}'::jsonb,
  payment_method       VARCHAR(50),
  transaction_id       VARCHAR(255),
  failure_reason       TEXT,
  refund_amount        DECIMAL(10,2) NOT NULL DEFAULT 0 CHECK (refund_amount >= 0),
  refund_reason        TEXT,
  refunded_at          TIMESTAMPTZ,
  expires_at           TIMESTAMPTZ NOT NULL,                  -- unpaid orders expire (24 h)
  -- Not in the ERD: the seat hold this order pays for (consumed on payment).
  reservation_id       BIGINT REFERENCES capacity_reservation(id) ON DELETE SET NULL,
  created_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at           TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT payment_order_refund_within_amount CHECK (refund_amount <= amount)
);
CREATE UNIQUE INDEX payment_order_provider_payment_key ON payment_order (payment_provider, provider_payment_id)
  WHERE provider_payment_id IS NOT NULL;
CREATE INDEX payment_order_status_created ON payment_order (status, created_at);
CREATE INDEX payment_order_user_created ON payment_order (user_id, created_at);
CREATE INDEX payment_order_event ON payment_order (event_id);
CREATE INDEX payment_order_reservation ON payment_order (reservation_id);
CREATE INDEX payment_order_open_expiry ON payment_order (expires_at) WHERE status IN ('created','pending');

CREATE TABLE payment_transaction (
  id                       BIGSERIAL PRIMARY KEY,
  payment_order_id         BIGINT NOT NULL REFERENCES payment_order(id) ON DELETE RESTRICT, -- ledger rows are never orphaned
  transaction_type         VARCHAR(12) NOT NULL CHECK (transaction_type IN ('payment','refund','chargeback')),
  amount                   DECIMAL(10,2) NOT NULL CHECK (amount >= 0.01),
  provider_transaction_id  VARCHAR(255),
  status                   VARCHAR(10) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending','completed','failed')),
  provider_response        JSONB NOT NULL DEFAULT '{}'::jsonb,
  failure_reason           TEXT,
  created_at               TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at               TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX payment_transaction_order ON payment_transaction (payment_order_id, created_at);

CREATE TABLE payment_webhook (
  id                 BIGSERIAL PRIMARY KEY,
  -- Nullable + SET NULL: every delivery is stored, including ones naming an unknown order.
  payment_order_id   BIGINT REFERENCES payment_order(id) ON DELETE SET NULL,
  -- Not in the ERD: provider + provider_event_id make a repeated delivery detectable (idempotency).
  provider           VARCHAR(20) NOT NULL
                     CHECK (provider IN ('razorpay','stripe','paypal','paytm','phonepe','gpay','cash','bank_transfer')),
  provider_event_id  VARCHAR(255),
  webhook_type       VARCHAR(100) NOT NULL DEFAULT 'unknown',
  payload            JSONB NOT NULL DEFAULT '{}'::jsonb,
  signature          TEXT,
  processed          BOOLEAN NOT NULL DEFAULT false,
  processing_error   TEXT,
  created_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now(),
  UNIQUE (provider, provider_event_id)
);
CREATE INDEX payment_webhook_order ON payment_webhook (payment_order_id);
CREATE INDEX payment_webhook_unprocessed ON payment_webhook (created_at) WHERE NOT processed;
`;

const ATTENDANCE = `
CREATE TABLE attendance_record (
  id                BIGSERIAL PRIMARY KEY,
  -- Not in the ERD: tickets are addressed by uuid in the API (GET /tickets, POST /tickets/{uuid}/otp).
  uuid              UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  event_id          BIGINT NOT NULL REFERENCES event(id) ON DELETE RESTRICT,     -- attendance history
  user_id           BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE RESTRICT, -- attendance history
  status            VARCHAR(10) NOT NULL DEFAULT 'going'
                    CHECK (status IN ('going','not_going','maybe','checked_in','cancelled')),
  payment_status    VARCHAR(10) NOT NULL DEFAULT 'unpaid' CHECK (payment_status IN ('unpaid','paid','refunded')),
  -- Only a non-secret lookup id (or NULL); the secret itself is hashed in ticket_secret.
  ticket_secret     VARCHAR(64) UNIQUE,
  seats             INT NOT NULL DEFAULT 1 CHECK (seats >= 1),
  checked_in_at     TIMESTAMPTZ,
  checked_out_at    TIMESTAMPTZ,
  notes             TEXT,
  -- Not in the ERD: the order that paid for this ticket (RESTRICT: money) and the attendee row.
  payment_order_id  BIGINT REFERENCES payment_order(id) ON DELETE RESTRICT,
  attendee_id       BIGINT REFERENCES event_attendee(id) ON DELETE SET NULL,
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT attendance_record_checkin_time CHECK (status <> 'checked_in' OR checked_in_at IS NOT NULL),
  CONSTRAINT attendance_record_checkout_after_checkin
    CHECK (checked_out_at IS NULL OR (checked_in_at IS NOT NULL AND checked_out_at >= checked_in_at)),
  UNIQUE (event_id, user_id)
);
CREATE INDEX attendance_record_user_created ON attendance_record (user_id, created_at);
CREATE INDEX attendance_record_event_status ON attendance_record (event_id, status);
CREATE INDEX attendance_record_order ON attendance_record (payment_order_id);
CREATE INDEX attendance_record_attendee ON attendance_record (attendee_id);

CREATE TABLE attendance_otp (
  id                    BIGSERIAL PRIMARY KEY,
  attendance_record_id  BIGINT NOT NULL REFERENCES attendance_record(id) ON DELETE CASCADE,
  otp_code              TEXT NOT NULL,                          -- an HMAC of the code, never the code
  is_used               BOOLEAN NOT NULL DEFAULT false,
  attempts              INT NOT NULL DEFAULT 0 CHECK (attempts BETWEEN 0 AND 3), -- not in the ERD: brute-force limit
  expires_at            TIMESTAMPTZ NOT NULL,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX attendance_otp_record_created ON attendance_otp (attendance_record_id, created_at);
CREATE INDEX attendance_otp_unused_expiry ON attendance_otp (expires_at) WHERE NOT is_used;

CREATE TABLE ticket_secret (
  id                    BIGSERIAL PRIMARY KEY,
  attendance_record_id  BIGINT NOT NULL UNIQUE REFERENCES attendance_record(id) ON DELETE CASCADE,
  secret_hash           TEXT NOT NULL,
  secret_salt           TEXT NOT NULL,
  -- Not in the ERD: an HMAC of the secret, to find the row in O(1) before the salted-hash check.
  secret_lookup         TEXT UNIQUE,
  is_redeemed           BOOLEAN NOT NULL DEFAULT false,
  redeemed_at           TIMESTAMPTZ,
  created_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at            TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT ticket_secret_redeemed_time CHECK (NOT is_redeemed OR redeemed_at IS NOT NULL)
);
`;

const NOTIFICATIONS_AND_AUDIT = `
CREATE TABLE notification (
  id                     BIGSERIAL PRIMARY KEY,
  recipient_id           BIGINT NOT NULL REFERENCES auth_user(id) ON DELETE CASCADE,
  sender_id              BIGINT REFERENCES auth_user(id) ON DELETE SET NULL, -- the message outlives its sender
  uuid                   UUID NOT NULL DEFAULT gen_random_uuid() UNIQUE,
  type                   VARCHAR(20) NOT NULL
                         CHECK (type IN ('event_request','event_invite','event_update','event_cancelled','payment_success',
                                         'payment_failed','reminder','system','promotional')),
  title                  VARCHAR(200) NOT NULL CHECK (char_length(title) >= 1),
  message                TEXT NOT NULL,
  reference_type         VARCHAR(50),
  reference_id           BIGINT,
  is_read                BOOLEAN NOT NULL DEFAULT false,
  metadata               JSONB NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(metadata) = 'object'),
  -- Not in the ERD: the email outbox. Email is sent after commit by a job that retries with backoff.
  email_status           VARCHAR(10) NOT NULL DEFAULT 'none' CHECK (email_status IN ('none','pending','sent','failed')),
  email_attempts         INT NOT NULL DEFAULT 0 CHECK (email_attempts >= 0),
  email_next_attempt_at  TIMESTAMPTZ,
  email_last_error       TEXT,
  emailed_at             TIMESTAMPTZ,
  created_at             TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at             TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX notification_recipient_feed ON notification (recipient_id, created_at DESC, id DESC);
CREATE INDEX notification_recipient_unread ON notification (recipient_id) WHERE NOT is_read;
CREATE INDEX notification_sender ON notification (sender_id);
CREATE INDEX notification_created ON notification (created_at);  -- 30-day retention sweep
CREATE INDEX notification_email_due ON notification (email_next_attempt_at) WHERE email_status = 'pending';

CREATE TABLE audit_log (
  id             BIGSERIAL PRIMARY KEY,
  -- SET NULL: the audit trail must survive the users it mentions.
  actor_user_id  BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,
  user_id        BIGINT REFERENCES auth_user(id) ON DELETE SET NULL,
  action         VARCHAR(20) NOT NULL
                 CHECK (action IN ('create','update','delete','login','logout','password_change','profile_update')),
  object_type    VARCHAR(100),
  object_id      BIGINT,
  object_uuid    VARCHAR(64),
  payload        JSONB NOT NULL DEFAULT '{}'::jsonb,
  metadata       JSONB NOT NULL DEFAULT '{}'::jsonb,
  old_values     JSONB,
  new_values     JSONB,
  ip_address     INET,
  user_agent     TEXT,
  session_key    VARCHAR(255),
  severity       VARCHAR(10) NOT NULL DEFAULT 'low' CHECK (severity IN ('low','medium','high','critical')),
  is_successful  BOOLEAN NOT NULL DEFAULT true,
  error_message  TEXT,
  -- Not in the ERD: the domain command that wrote the row (e.g. 'joining.accept_request') and a
  -- tamper-evident hash chain over the rows.
  command        VARCHAR(100),
  prev_hash      TEXT,
  row_hash       TEXT,
  created_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at     TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_created ON audit_log (created_at);
CREATE INDEX audit_log_actor ON audit_log (actor_user_id);
CREATE INDEX audit_log_user ON audit_log (user_id);
CREATE INDEX audit_log_object ON audit_log (object_type, object_id);
CREATE INDEX audit_log_action_created ON audit_log (action, created_at);

CREATE TABLE audit_log_summary (
  id                BIGSERIAL PRIMARY KEY,
  date              DATE NOT NULL,
  -- CASCADE, not SET NULL: summaries are derived (recomputable from audit_log), and nulling
  -- user_id would collide with the existing (date, NULL, action) row.
  user_id           BIGINT REFERENCES auth_user(id) ON DELETE CASCADE,
  action            VARCHAR(20) NOT NULL
                    CHECK (action IN ('create','update','delete','login','logout','password_change','profile_update')),
  count             INT NOT NULL DEFAULT 0 CHECK (count >= 0),
  successful_count  INT NOT NULL DEFAULT 0 CHECK (successful_count >= 0),
  failed_count      INT NOT NULL DEFAULT 0 CHECK (failed_count >= 0),
  created_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at        TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT audit_log_summary_count_sum CHECK (count = successful_count + failed_count)
);
-- One row per (day, user or "nobody", action); COALESCE because NULLs never collide in UNIQUE.
CREATE UNIQUE INDEX audit_log_summary_day_user_action ON audit_log_summary (date, COALESCE(user_id, 0), action);
CREATE INDEX audit_log_summary_user ON audit_log_summary (user_id);
`;

const OPERATIONS = `
-- Not in the ERD: fixed-window rate-limit counters shared by every app instance (the app is
-- stateless). Keyed by e.g. 'otp:phone:+91…'; old windows are swept by window_start.
CREATE TABLE rate_limit (
  key           TEXT NOT NULL,
  window_start  TIMESTAMPTZ NOT NULL,
  count         INT NOT NULL DEFAULT 0 CHECK (count >= 0),
  PRIMARY KEY (key, window_start)
);
CREATE INDEX rate_limit_window_start ON rate_limit (window_start);

-- Not in the ERD: one row per scheduled-job run, for operators (what ran, when, with what result).
CREATE TABLE job_run (
  id           BIGSERIAL PRIMARY KEY,
  name         VARCHAR(100) NOT NULL,
  started_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  finished_at  TIMESTAMPTZ,
  status       VARCHAR(10) NOT NULL DEFAULT 'running' CHECK (status IN ('running','succeeded','failed')),
  detail       JSONB NOT NULL DEFAULT '{}'::jsonb,
  error        TEXT,
  created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  updated_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
  CONSTRAINT job_run_finished_iff_done CHECK ((status = 'running') = (finished_at IS NULL)),
  CONSTRAINT job_run_time_order CHECK (finished_at IS NULL OR finished_at >= started_at)
);
CREATE INDEX job_run_name_started ON job_run (name, started_at DESC);
`;

/** Every table, parents first. down() drops them in reverse. */
export const TABLES = [
  'auth_user', 'user_profile', 'user_phone_otp', 'event_interest', 'user_profile_interest', 'refresh_token',
  'venue', 'event', 'event_interest_map', 'event_image', 'event_request', 'event_invite', 'event_attendee',
  'capacity_reservation', 'payment_order', 'payment_transaction', 'payment_webhook',
  'attendance_record', 'attendance_otp', 'ticket_secret',
  'notification', 'audit_log', 'audit_log_summary', 'rate_limit', 'job_run',
] as const;

/** Tables that carry updated_at (all but rate_limit). */
const TOUCHED = TABLES.filter((t) => t !== 'rate_limit');

const TRIGGERS = TOUCHED.map(
  (t) => `CREATE TRIGGER ${t}_touch_updated_at BEFORE UPDATE ON ${t} FOR EACH ROW EXECUTE FUNCTION loopin_touch_updated_at();`,
).join('\n');

export async function up({ context }: { context: QueryInterface }): Promise<void> {
  // One multi-statement query runs as one implicit transaction: all of it applies, or none.
  await context.sequelize.query(
    [EXTENSIONS, USERS, EVENTS, SEARCH, PAYMENTS, ATTENDANCE, NOTIFICATIONS_AND_AUDIT, OPERATIONS, TRIGGERS].join('\n'),
  );
}

export async function down({ context }: { context: QueryInterface }): Promise<void> {
  // pg_trgm is left installed: other objects (or databases' later migrations) may rely on it.
  const drops = [...TABLES].reverse().map((t) => `DROP TABLE IF EXISTS ${t} CASCADE;`);
  await context.sequelize.query([...drops, 'DROP FUNCTION IF EXISTS loopin_touch_updated_at();'].join('\n'));
}
